using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AsyncGuard;

/// <summary>
/// Async "twins" that are not an alternative to the synchronous method: the project's own
/// <c>FooAsync</c> that is built on <c>Foo</c> (it calls it, after waiting for something else,
/// or inside a try/finally that disposes asynchronously), or code that is itself part of the
/// twin (<c>FooAsyncCore</c>). Suggesting the twin there would call the sync method anyway,
/// recurse, or add work the caller did not ask for.
/// </summary>
internal static class AsyncTwin
{
    /// <summary>True when <paramref name="twin"/> is built on <paramref name="sync"/>, or <paramref name="caller"/> is part of the twin.</summary>
    public static bool IsBuiltOnSync(IMethodSymbol twin, IMethodSymbol sync, ISymbol? caller, System.Threading.CancellationToken cancellationToken)
    {
        if (caller is IMethodSymbol callerMethod
            && callerMethod.Name.StartsWith(twin.Name, StringComparison.Ordinal)
            && SymbolEqualityComparer.Default.Equals(callerMethod.ContainingType, twin.ContainingType)) return true;

        // Source bodies only; a name match on a call with as many arguments as the sync method takes.
        foreach (var reference in twin.DeclaringSyntaxReferences)
        {
            var body = reference.GetSyntax(cancellationToken);
            if (body.DescendantNodes().OfType<InvocationExpressionSyntax>().Any(i => InvokedName(i) == sync.Name && i.ArgumentList.Arguments.Count == sync.Parameters.Length)) return true;
        }

        return false;
    }

    private static string? InvokedName(InvocationExpressionSyntax invocation) => invocation.Expression switch
    {
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
        SimpleNameSyntax name => name.Identifier.ValueText,
        _ => null,
    };
}
