using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace AsyncGuard.Tests.Verifiers;

/// <summary>
/// Metadata references for test compilations. The rule tests compile against the .NET 10
/// reference assemblies, which the test library restores from the machine's package feed on
/// first use (a served version is pinned: the feed does not carry every patch). The
/// robustness runs and convention tests, which compile thousands of variants, use the
/// framework assemblies the test host has loaded, so they need no download.
/// </summary>
public static class TestReferences
{
    /// <summary>.NET 10 reference assemblies, pinned to a version the feed serves.</summary>
    public static ReferenceAssemblies Net100 { get; } = new(
        "net10.0",
        new PackageIdentity("Microsoft.NETCore.App.Ref", "10.0.10"),
        Path.Combine("ref", "net10.0"));

    private static readonly Lazy<ImmutableArray<MetadataReference>> All = new(Load);

    public static ImmutableArray<MetadataReference> Runtime => All.Value;

    private static ImmutableArray<MetadataReference> Load()
    {
        var paths = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return paths
            .Where(p =>
            {
                var name = Path.GetFileNameWithoutExtension(p);
                return name.StartsWith("System.", StringComparison.Ordinal)
                    || name is "System" or "mscorlib" or "netstandard" or "Microsoft.CSharp" or "Microsoft.Win32.Primitives"
                    || name.StartsWith("xunit.", StringComparison.Ordinal);
            })
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    }
}
