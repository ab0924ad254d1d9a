namespace AsyncGuard;

/// <summary>
/// What the rules ask about cancellation-token expressions: whether one is "no token", whether
/// a call is given a real token, and which variable a token comes from.
/// </summary>
internal static class TokenFacts
{
    /// <summary>
    /// "No token": <c>CancellationToken.None</c>, <c>default</c>, <c>default(CancellationToken)</c>,
    /// <c>new CancellationToken()</c> and <c>new CancellationToken(false)</c> (a token that can
    /// never be cancelled), under conversions.
    /// </summary>
    public static bool IsNoneToken(IOperation value, KnownSymbols symbols)
    {
        value = OperationFacts.StripConversions(value);
        return value switch
        {
            IDefaultValueOperation => true,
            IPropertyReferenceOperation { Property: { Name: "None", IsStatic: true } property } =>
                SymbolEqualityComparer.Default.Equals(property.ContainingType, symbols.CancellationToken),
            IObjectCreationOperation { Arguments.Length: 0 } creation => symbols.IsCancellationToken(creation.Type),
            IObjectCreationOperation { Arguments.Length: 1 } creation when creation.Arguments[0].Value.ConstantValue is { HasValue: true, Value: false } =>
                symbols.IsCancellationToken(creation.Type),
            _ => false,
        };
    }

    /// <summary>True when one of <paramref name="arguments"/> explicitly passes a token that is not "no token".</summary>
    public static bool PassesToken(ImmutableArray<IArgumentOperation> arguments, KnownSymbols symbols)
    {
        foreach (var argument in arguments)
        {
            if (argument.ArgumentKind != ArgumentKind.Explicit || argument.Parameter is null) continue;
            if (!symbols.IsCancellationToken(argument.Parameter.Type)) continue;
            if (IsNoneToken(argument.Value, symbols)) continue;
            return true;
        }

        return false;
    }

    /// <summary><c>token</c>, <c>this.token</c>, <c>source.Token</c>: the parameter, local, field or property the token comes from.</summary>
    public static ISymbol? SourceSymbol(IOperation? value)
    {
        if (value is null) return null;
        value = OperationFacts.StripConversions(value);
        if (value is IPropertyReferenceOperation { Property.Name: "Token", Instance: { } source }) value = source;
        return value switch
        {
            IParameterReferenceOperation parameter => parameter.Parameter,
            ILocalReferenceOperation local => local.Local,
            IFieldReferenceOperation field => field.Field,
            IPropertyReferenceOperation property => property.Property,
            _ => null,
        };
    }

    /// <summary>
    /// The cancellation APIs themselves, whose token names a cancellation rather than stopping work:
    /// members of <c>CancellationToken</c>, <c>CancellationTokenSource</c> (and derived types),
    /// <c>TaskCompletionSource</c> (both forms), and <c>Task.FromCanceled</c>.
    /// </summary>
    public static bool IsCancellationApi(IMethodSymbol method, KnownSymbols symbols)
    {
        var type = method.ContainingType?.OriginalDefinition;
        if (type is null) return false;
        if (SymbolEqualityComparer.Default.Equals(type, symbols.CancellationToken)
            || SymbolEqualityComparer.Default.Equals(type, symbols.TaskCompletionSource)
            || SymbolEqualityComparer.Default.Equals(type, symbols.TaskCompletionSourceOfT)
            || KnownSymbols.InheritsFrom(type, symbols.CancellationTokenSource)) return true;
        return method.Name == "FromCanceled" && method.IsStatic && symbols.IsTaskType(type);
    }

    /// <summary>
    /// <c>Task PingAsync() => PingAsync(CancellationToken.None)</c>: a call to another overload of the
    /// same name on the same type, made from the member itself (not from a lambda or local function
    /// inside it), which has no token parameter of its own. Plain recursion is not this shape.
    /// </summary>
    public static bool IsConvenienceOverloadCall(IInvocationOperation invocation, ISymbol? containingSymbol, KnownSymbols symbols)
    {
        var method = invocation.TargetMethod;
        if (containingSymbol is not IMethodSymbol caller
            || caller.Name != method.Name
            || !SymbolEqualityComparer.Default.Equals(caller.ContainingType?.OriginalDefinition, method.ContainingType?.OriginalDefinition)
            || SymbolEqualityComparer.Default.Equals(caller.OriginalDefinition, (method.ReducedFrom ?? method).OriginalDefinition)) return false;
        if (!SymbolEqualityComparer.Default.Equals(AsyncContext.GetEnclosingFunction(invocation, containingSymbol), containingSymbol)) return false;
        return !caller.Parameters.Any(p => symbols.IsTokenLike(p.Type));
    }
}
