using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AsyncGuard.Benchmarks;

/// <summary>
/// A measured set of analyzers: their instances and the diagnostic options that enable the
/// ids under measurement and suppress every other id they support.
/// </summary>
internal sealed record AnalyzerSet(
    string Name,
    string Source,
    ImmutableArray<DiagnosticAnalyzer> Analyzers,
    ImmutableDictionary<string, ReportDiagnostic> DiagnosticOptions,
    string? LoadError)
{
    /// <summary>
    /// Every non-abstract <see cref="DiagnosticAnalyzer"/> with [DiagnosticAnalyzer] in the
    /// AsyncGuard.Analyzers assembly, so that rules added later are measured without a change here.
    /// All of their ids are enabled, including any that are off by default.
    /// </summary>
    public static AnalyzerSet AsyncGuard()
    {
        var assembly = typeof(KnownSymbols).Assembly;
        var analyzers = assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t)
                && t.GetCustomAttributes<DiagnosticAnalyzerAttribute>().Any(a => a.Languages.Contains(LanguageNames.CSharp)))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
        var ids = analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct();
        var version = assembly.GetName().Version;
        return new AnalyzerSet("AsyncGuard", $"AsyncGuard.Analyzers {version}", analyzers,
            ids.ToImmutableDictionary(id => id, _ => ReportDiagnostic.Warn), null);
    }

    /// <summary>
    /// Loads the C# analyzers that the build copied to <c>peers/&lt;folder&gt;</c> and keeps the
    /// instances that support one of <paramref name="ids"/> (all of them when null).
    /// </summary>
    public static AnalyzerSet Peer(string name, string folder, IReadOnlyCollection<string>? ids)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "peers", folder);
        var files = Directory.Exists(directory)
            ? Directory.GetFiles(directory, "*.dll").Where(f => !Path.GetFileName(f).Contains("CodeFix", StringComparison.OrdinalIgnoreCase)).OrderBy(f => f, StringComparer.Ordinal).ToArray()
            : Array.Empty<string>();
        if (files.Length == 0) return Failed(name, $"no analyzer DLLs in peers/{folder}");

        var loader = new PeerAssemblyLoader(directory);
        var all = new List<DiagnosticAnalyzer>();
        var errors = new List<string>();
        string? source = null;
        foreach (var file in files)
        {
            var reference = new AnalyzerFileReference(file, loader);
            reference.AnalyzerLoadFailed += (_, e) => errors.Add($"{Path.GetFileName(file)}: {e.ErrorCode} {e.TypeName} {e.Message}");
            all.AddRange(reference.GetAnalyzers(LanguageNames.CSharp));
            try
            {
                var assembly = loader.LoadFromPath(file);
                var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
                source ??= $"{assembly.GetName().Name} {informational?.Split('+')[0] ?? assembly.GetName().Version?.ToString()}";
            }
            catch (Exception ex) when (ex is IOException or BadImageFormatException)
            {
                errors.Add($"{Path.GetFileName(file)}: {ex.Message}");
            }
        }

        var kept = all
            .Where(a => ids is null || a.SupportedDiagnostics.Any(d => ids.Contains(d.Id)))
            .ToImmutableArray();
        if (kept.IsEmpty)
        {
            return Failed(name, errors.Count > 0 ? string.Join("; ", errors.Take(3)) : "no analyzer supports the ids");
        }

        var options = kept.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct(StringComparer.Ordinal)
            .ToImmutableDictionary(id => id, id => ids is null || ids.Contains(id) ? ReportDiagnostic.Warn : ReportDiagnostic.Suppress);
        var packageFile = Path.Combine(directory, "package.txt");
        if (File.Exists(packageFile)) source = File.ReadAllText(packageFile).Trim();
        return new AnalyzerSet(name, source ?? folder, kept, options, errors.Count > 0 ? string.Join("; ", errors.Take(3)) : null);
    }

    /// <summary>The ids this set measures (the enabled ones).</summary>
    public IEnumerable<string> MeasuredIds =>
        DiagnosticOptions.Where(p => p.Value != ReportDiagnostic.Suppress).Select(p => p.Key).OrderBy(id => id, StringComparer.Ordinal);

    private static AnalyzerSet Failed(string name, string error) =>
        new(name, name, ImmutableArray<DiagnosticAnalyzer>.Empty, ImmutableDictionary<string, ReportDiagnostic>.Empty, error);

    /// <summary>
    /// Loads a peer's assemblies into a context of their own; Roslyn and the framework resolve
    /// to the ones this process already hosts.
    /// </summary>
    private sealed class PeerAssemblyLoader : AssemblyLoadContext, IAnalyzerAssemblyLoader
    {
        private readonly string directory;

        public PeerAssemblyLoader(string directory)
            : base("peer:" + Path.GetFileName(directory)) => this.directory = directory;

        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath)
        {
            var name = AssemblyName.GetAssemblyName(fullPath);
            return Assemblies.FirstOrDefault(a => a.GetName().Name == name.Name) ?? LoadFromAssemblyPath(fullPath);
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var candidate = Path.Combine(directory, assemblyName.Name + ".dll");
            return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
        }
    }
}
