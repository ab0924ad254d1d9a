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
}
