using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AsyncGuard;

/// <summary>
/// What the rules ask about async sequences: whether a type is an <c>IAsyncEnumerable&lt;T&gt;</c>,
/// and whether a sequence already got a cancellation token where it was made.
/// </summary>
internal static class AsyncEnumerables
{
    /// <summary><c>IAsyncEnumerable&lt;T&gt;</c> or a type that implements it (what <c>WithCancellation</c> extends).</summary>
    public static bool IsAsyncEnumerable(ITypeSymbol? type, KnownSymbols symbols)
    {
        if (type is null || symbols.IAsyncEnumerableOfT is not { } asyncEnumerable) return false;
        if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, asyncEnumerable)) return true;
        return type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, asyncEnumerable));
    }

    /// <summary>
    /// True when the sequence <paramref name="source"/> was made by a call that takes a token (passed,
    /// omitted, or <c>None</c>: the call's own business), or that has a token overload, directly or
    /// under operators chained on it (<c>ReadAllAsync(ct).Where(...)</c>), also through a local
    /// initialised with such a call.
    /// </summary>
    public static bool GetsToken(IOperation source, SemanticModel model, KnownSymbols symbols, AsyncOverloads overloads)
    {
        for (var depth = 0; depth < 8; depth++)
        {
            source = OperationFacts.StripConversions(source);
            switch (source)
            {
                case IInvocationOperation invocation:
                    if (invocation.Arguments.Any(a => a.Parameter is { } p && symbols.IsCancellationTokenOrNullable(p.Type))) return true;
                    if (overloads.FindTokenOverload((invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod).OriginalDefinition) is not null) return true;
                    var inner = invocation.Instance ?? (invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null);
                    if (inner is null || !IsAsyncEnumerable(OperationFacts.StripConversions(inner).Type, symbols)) return false;
                    source = inner;
                    break;
                case ILocalReferenceOperation local
                    when local.Local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: { } initializer }
                        && initializer.SyntaxTree == model.SyntaxTree
                        && model.GetOperation(initializer) is { } value:
                    source = value;
                    break;
                default:
                    return false;
            }
        }

        return false;
    }
}
