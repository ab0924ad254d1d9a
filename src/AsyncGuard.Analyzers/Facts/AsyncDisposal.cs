namespace AsyncGuard;

/// <summary>
/// What the rules ask about asynchronous disposal beyond <c>IAsyncDisposable</c>: the pattern
/// <c>DisposeAsync()</c> that <c>await using</c> binds to, and the factory that makes an
/// async-disposable sibling of a synchronously disposable result
/// (<c>provider.CreateScope()</c> beside <c>provider.CreateAsyncScope()</c>).
/// </summary>
internal static class AsyncDisposal
{
    /// <summary>
    /// An accessible instance <c>DisposeAsync()</c> (no parameters) returning an awaitable, declared on
    /// <paramref name="type"/> or a base type: what <c>await using</c> calls when the type does not
    /// implement <c>IAsyncDisposable</c>.
    /// </summary>
    public static IMethodSymbol? PatternDisposeAsync(ITypeSymbol type, KnownSymbols symbols)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers("DisposeAsync"))
            {
                if (member is IMethodSymbol { IsStatic: false, Parameters.Length: 0, TypeParameters.Length: 0, DeclaredAccessibility: Accessibility.Public } method
                    && symbols.IsAwaitable(method.ReturnType)) return method;
            }
        }

        return null;
    }

    /// <summary>
    /// For <c>receiver.CreateScope()</c> whose result is not async-disposable: the method callable on the
    /// same receiver with the same arguments, named with <c>Async</c> inserted at a word boundary inside
    /// the name (<c>CreateAsyncScope</c>), that returns a non-awaitable async-disposable value; an
    /// extension method counts. Null when there is none.
    /// </summary>
    public static IMethodSymbol? AsyncDisposableSibling(IInvocationOperation invocation, SemanticModel model, KnownSymbols symbols)
    {
        var method = invocation.TargetMethod;
        var receiver = invocation.Instance ?? (method.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null);
        if (receiver is null || OperationFacts.StripConversions(receiver).Type is not { } receiverType || symbols.IAsyncDisposable is not { } asyncDisposable) return null;
        var name = method.Name;
        var parameters = (method.ReducedFrom is null && method.IsExtensionMethod ? method.ReduceExtensionMethod(receiverType) : method)?.Parameters ?? method.Parameters;
        for (var i = 1; i < name.Length; i++)
        {
            if (!char.IsUpper(name[i])) continue;
            var candidateName = name.Substring(0, i) + "Async" + name.Substring(i);
            foreach (var symbol in model.LookupSymbols(invocation.Syntax.SpanStart, receiverType, candidateName, includeReducedExtensionMethods: true))
            {
                if (symbol is not IMethodSymbol candidate || candidate.IsStatic && candidate.MethodKind != MethodKind.ReducedExtension) continue;
                if (candidate.TypeParameters.Length != method.TypeParameters.Length || candidate.Parameters.Length != parameters.Length) continue;
                if (!candidate.Parameters.Zip(parameters, (a, b) => a.RefKind == b.RefKind && SymbolEqualityComparer.Default.Equals(a.Type, b.Type)).All(x => x)) continue;
                var result = candidate.ReturnType;
                if (symbols.IsAwaitable(result)) continue;
                if (SymbolEqualityComparer.Default.Equals(result, asyncDisposable) || result.AllInterfaces.Contains(asyncDisposable, SymbolEqualityComparer.Default)) return candidate;
            }
        }

        return null;
    }
}
