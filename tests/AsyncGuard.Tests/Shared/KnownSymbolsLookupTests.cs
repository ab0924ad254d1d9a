using System.Collections.Immutable;
using AsyncGuard.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AsyncGuard.Tests.Shared;

/// <summary>
/// KnownSymbols.Lookup finds types through the merged namespaces instead of
/// Compilation.GetTypeByMetadataName; it must give the same answer in every case,
/// including the precedence rules (own source, then core library, then a unique reference).
/// </summary>
public sealed class KnownSymbolsLookupTests
{
    public static TheoryData<string> Names() => new()
    {
        "System.Threading.Tasks.Task",
        "System.Threading.Tasks.Task`1",
        "System.Threading.Tasks.ValueTask`1",
        "System.Collections.Concurrent.BlockingCollection`1",
        "System.Linq.Expressions.Expression`1",
        "System.IO.Stream",
        "System.Net.Http.HttpClient",
        "System.Data.Common.DbCommand",
        "System.Environment+SpecialFolder",
        "System.Threading.Tasks.Task`9",
        "System.Threading.Tasks.NoSuchType",
        "No.Such.Namespace.Type",
        "Microsoft.Extensions.Logging.ILogger",
        "Task",
        "Shared.Duplicate",
        "Shared.OnlyInFirst",
        "Own.Polyfill",
        "System.Threading.Tasks.TaskScheduler",
        "System.Threading.CancellationToken",
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Lookup_AgreesWithGetTypeByMetadataName(string name)
    {
        var compilation = Create();
        var expected = compilation.GetTypeByMetadataName(name);
        var actual = KnownSymbols.From(compilation)!.Lookup(name);
        Assert.Equal(expected, actual, SymbolEqualityComparer.Default);
    }

    [Fact]
    public void Lookup_FollowsThePrecedenceRules()
    {
        var compilation = Create();
        var symbols = KnownSymbols.From(compilation)!;

        // Declared in two references: ambiguous.
        Assert.Null(symbols.Lookup("Shared.Duplicate"));

        // Declared in this compilation and in a reference: this compilation's.
        Assert.Equal("Own", symbols.Lookup("Own.Polyfill")!.ContainingAssembly.Name);

        // Declared in the core library and again (internal) in a reference: the core library's.
        Assert.Equal(
            compilation.GetSpecialType(SpecialType.System_Object).ContainingAssembly,
            symbols.Lookup("System.Threading.CancellationToken")!.ContainingAssembly,
            SymbolEqualityComparer.Default);
    }

    private static CSharpCompilation Create()
    {
        var first = Library("First", "namespace Shared { public class Duplicate {} public class OnlyInFirst {} } namespace Own { public class Polyfill {} } namespace System.Threading { internal struct CancellationToken {} }");
        var second = Library("Second", "namespace Shared { public class Duplicate {} }");
        return CSharpCompilation.Create(
            "Own",
            new[] { CSharpSyntaxTree.ParseText("namespace Own { public class Polyfill {} }") },
            TestReferences.Runtime.AddRange(new[] { first, second }),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
    }

    private static MetadataReference Library(string name, string source) =>
        CSharpCompilation.Create(name, new[] { CSharpSyntaxTree.ParseText(source) }, TestReferences.Runtime, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary))
            .ToMetadataReference();
}
