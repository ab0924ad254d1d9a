using System.Runtime.CompilerServices;

namespace AsyncGuard;

/// <summary>
/// The one overload finder: the awaitable twin <c>XAsync</c> of a synchronous method (same
/// arguments, same awaited result, optionally plus a trailing token or with a Memory form of
/// a buffer), and the overload of a method that is the same plus a cancellation token.
/// Resolved once per compilation; callers cache the answers per method.
/// </summary>
internal sealed class AsyncOverloads
{
    private static readonly ConditionalWeakTable<KnownSymbols, AsyncOverloads> Cache = new();

    private readonly KnownSymbols symbols;
    private readonly INamedTypeSymbol? memory;
    private readonly INamedTypeSymbol? readOnlyMemory;
    private readonly INamedTypeSymbol? span;
    private readonly INamedTypeSymbol? readOnlySpan;
    private readonly INamedTypeSymbol? obsolete;
    private readonly INamedTypeSymbol? experimental;

    private AsyncOverloads(KnownSymbols symbols)
    {
        this.symbols = symbols;
        memory = symbols.Lookup("System.Memory`1");
        readOnlyMemory = symbols.Lookup("System.ReadOnlyMemory`1");
        span = symbols.Lookup("System.Span`1");
        readOnlySpan = symbols.Lookup("System.ReadOnlySpan`1");
        obsolete = symbols.Lookup("System.ObsoleteAttribute");
        experimental = symbols.Lookup("System.Diagnostics.CodeAnalysis.ExperimentalAttribute");
    }

    /// <summary>The finder of the compilation <paramref name="symbols"/> belongs to.</summary>
    public static AsyncOverloads For(KnownSymbols symbols) => Cache.GetValue(symbols, static s => new AsyncOverloads(s));

    /// <summary>
    /// The twins of <paramref name="method"/> (pass its original definition): the methods named
    /// <c>&lt;Name&gt;Async</c> of its type (its base types for an instance method, its inherited
    /// interfaces for an interface method) that are awaitable, not obsolete nor experimental, of the same
    /// staticness and arity, and take the same arguments.
    /// </summary>
    public AsyncTwins FindTwins(IMethodSymbol method)
    {
        var twinName = method.Name + "Async";
        IMethodSymbol? plain = null;
        IMethodSymbol? withToken = null;
        var memoryFormOnly = false;
        var anyNamed = false;
        foreach (var candidateType in SearchTypes(method))
        {
            foreach (var member in candidateType.GetMembers(twinName))
            {
                if (member is not IMethodSymbol twin) continue;
                anyNamed = true;
                if (twin.IsStatic != method.IsStatic
                    || twin.IsExtensionMethod != method.IsExtensionMethod
                    || twin.TypeParameters.Length != method.TypeParameters.Length
                    || twin.DeclaredAccessibility == Accessibility.Private && !SymbolEqualityComparer.Default.Equals(twin.ContainingType, method.ContainingType)
                    || !symbols.IsAwaitable(twin.ReturnType)
                    || !ResultMatches(method, twin)
                    || IsObsolete(twin))
                {
                    continue;
                }

                switch (MatchParameters(method.Parameters, twin.Parameters))
                {
                    case ParameterMatch.Same:
                        plain ??= twin;
                        break;
                    case ParameterMatch.SamePlusToken:
                        withToken ??= twin;
                        break;
                    case ParameterMatch.MemoryForm:
                        memoryFormOnly = true;
                        break;
                }
            }
        }

        return anyNamed ? new AsyncTwins(twinName, plain, withToken, memoryFormOnly, anyNamed) : AsyncTwins.None;
    }

    /// <summary>
    /// The overload of <paramref name="method"/> with the same parameters (same types, order and
    /// ref kinds) plus one token, the same return type and staticness, not obsolete nor experimental,
    /// searched up the base types; with the index of its token parameter. A return that differs only
    /// in awaitable kind (<c>Task&lt;T&gt;</c> against <c>ValueTask&lt;T&gt;</c>) is accepted and marked
    /// <see cref="TokenOverload.AwaitedOnly"/>: it is the same only where the call is awaited. A trailing
    /// <c>params T[]</c> may be matched by a plain <c>T[]</c> before the token
    /// (<c>FindAsync(params object[] keys)</c> and <c>FindAsync(object[] keys, CancellationToken ct)</c>).
    /// Null for a method that takes a token already.
    /// </summary>
    public TokenOverload? FindTokenOverload(IMethodSymbol method)
    {
        if (method.Parameters.Any(p => symbols.IsCancellationTokenOrNullable(p.Type))) return null;
        var paramsOrdinal = method.Parameters.Length > 0 && method.Parameters[method.Parameters.Length - 1].IsParams ? method.Parameters.Length - 1 : -1;
        TokenOverload? awaitedOnly = null;
        for (var type = method.ContainingType; type is not null; type = type.BaseType)
        {
            foreach (var member in type.GetMembers(method.Name))
            {
                if (member is not IMethodSymbol candidate || candidate.Parameters.Length != method.Parameters.Length + 1) continue;
                if (candidate.IsStatic != method.IsStatic || candidate.TypeParameters.Length != method.TypeParameters.Length) continue;
                if (candidate.TypeParameters.Length > 0) candidate = candidate.Construct(method.TypeArguments.ToArray());
                var returns = ReturnMatch(method.ReturnType, candidate.ReturnType);
                if (returns == 0) continue;
                var index = TokenOverloadIndex(method, candidate);
                if (index < 0 || IsObsolete(candidate)) continue;

                // A token before the params array keeps it params; a token after it makes the call pass an array.
                var arrayOrdinal = -1;
                if (paramsOrdinal >= 0)
                {
                    if (index > paramsOrdinal) arrayOrdinal = paramsOrdinal;
                    else if (!candidate.Parameters[candidate.Parameters.Length - 1].IsParams) continue;
                }

                var found = new TokenOverload(candidate, index, returns == 2, arrayOrdinal);
                if (returns == 1) return found;
                awaitedOnly ??= found;
            }
        }

        return awaitedOnly;
    }

    /// <summary>1: the same return type; 2: task types of another kind with the same awaited result; 0: otherwise.</summary>
    private int ReturnMatch(ITypeSymbol original, ITypeSymbol candidate)
    {
        if (SymbolEqualityComparer.Default.Equals(original, candidate)) return 1;
        if (!IsBclTaskKind(original) || !IsBclTaskKind(candidate)) return 0;
        var a = TaskFacts.AwaitedType(original, symbols);
        var b = TaskFacts.AwaitedType(candidate, symbols);
        return (a is null && b is null) || (a is not null && b is not null && SymbolEqualityComparer.Default.Equals(a, b)) ? 2 : 0;
    }

    private bool IsBclTaskKind(ITypeSymbol type) =>
        type is INamedTypeSymbol { OriginalDefinition: var definition }
        && (SymbolEqualityComparer.Default.Equals(definition, symbols.Task)
            || SymbolEqualityComparer.Default.Equals(definition, symbols.TaskOfT)
            || SymbolEqualityComparer.Default.Equals(definition, symbols.ValueTask)
            || SymbolEqualityComparer.Default.Equals(definition, symbols.ValueTaskOfT));

    /// <summary>
    /// <c>[Obsolete]</c> or <c>[Experimental]</c> (on the method or its type): not an overload to
    /// steer callers to (an experimental one is an error to call unless the caller opts in).
    /// </summary>
    public bool IsObsolete(IMethodSymbol method) =>
        (obsolete is not null || experimental is not null)
        && (HasMarker(method) || (method.ContainingType is { } type && HasMarker(type)));

    private bool HasMarker(ISymbol symbol) =>
        symbol.GetAttributes().Any(a => a.AttributeClass is { } c
            && (SymbolEqualityComparer.Default.Equals(c, obsolete) || SymbolEqualityComparer.Default.Equals(c, experimental)));

    /// <summary>
    /// The twins of a call to a synchronous extension method that live elsewhere: an instance
    /// <c>&lt;Name&gt;Async</c> on the receiver's type, or, when the receiver is an <c>IQueryable</c>,
    /// an extension <c>&lt;Name&gt;Async</c> in scope at the call whose receiver parameter accepts the
    /// call's receiver (a query provider's <c>ToListAsync</c> binds to a <c>DbSet&lt;T&gt;</c>, never to a
    /// <c>List&lt;T&gt;</c>, so LINQ to objects stays silent). <see cref="AsyncTwins.None"/> otherwise.
    /// Asked per call (extension lookup depends on the call site's usings), so only for calls the
    /// rule would report: in async context, with no twin of their own.
    /// </summary>
    public AsyncTwins FindExtensionTwins(IInvocationOperation invocation, SemanticModel model, INamedTypeSymbol? queryable)
    {
        var method = invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod;
        if (!method.IsExtensionMethod || method.Parameters.Length == 0 || invocation.Instance is not null || invocation.Arguments.Length == 0) return AsyncTwins.None;
        if (OperationFacts.StripConversions(invocation.Arguments[0].Value).Type is not INamedTypeSymbol receiverType) return AsyncTwins.None;
        var definition = method.OriginalDefinition;
        var twinName = definition.Name + "Async";
        IMethodSymbol? plain = null;
        IMethodSymbol? withToken = null;

        // The parameters after the receiver, made only when a candidate twin exists (most calls have none).
        ImmutableArray<IParameterSymbol> rest = default;

        void Consider(IMethodSymbol twin, ImmutableArray<IParameterSymbol> twinRest)
        {
            if (twin.TypeParameters.Length != definition.TypeParameters.Length || !symbols.IsAwaitable(twin.ReturnType)
                || !ResultMatches(definition, twin) || IsObsolete(twin)) return;
            if (rest.IsDefault) rest = definition.Parameters.RemoveAt(0);
            switch (MatchParameters(rest, twinRest))
            {
                case ParameterMatch.Same: plain ??= twin; break;
                case ParameterMatch.SamePlusToken: withToken ??= twin; break;
            }
        }

        // A sync extension beside an instance FooAsync on the receiver (type arity must then be the method's: none).
        if (definition.TypeParameters.Length == 0)
        {
            for (INamedTypeSymbol? type = receiverType; type is not null; type = type.BaseType)
            {
                foreach (var member in type.GetMembers(twinName))
                {
                    if (member is IMethodSymbol { IsStatic: false } instance) Consider(instance.OriginalDefinition, instance.OriginalDefinition.Parameters);
                }
            }
        }

        if (plain is null && withToken is null && queryable is not null
            && (SymbolEqualityComparer.Default.Equals(receiverType.OriginalDefinition, queryable) || receiverType.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, queryable))))
        {
            foreach (var symbol in model.LookupSymbols(invocation.Syntax.SpanStart, receiverType, twinName, includeReducedExtensionMethods: true))
            {
                if (symbol is IMethodSymbol { ReducedFrom: { } unreduced } && !SymbolEqualityComparer.Default.Equals(unreduced.ContainingType, definition.ContainingType))
                    Consider(unreduced.OriginalDefinition, unreduced.OriginalDefinition.Parameters.RemoveAt(0));
            }
        }

        return plain is null && withToken is null ? AsyncTwins.None : new AsyncTwins(twinName, plain, withToken, false, true);
    }

    /// <summary>
    /// True when the call <paramref name="call"/> at <paramref name="position"/> could use
    /// <paramref name="twin"/> instead: it is accessible there, and the call's type arguments meet
    /// the twin's type-parameter constraints. A twin the call cannot use is not a twin.
    /// </summary>
    public static bool IsUsableAt(IMethodSymbol twin, IMethodSymbol call, SemanticModel model, int position)
    {
        if (!model.IsAccessible(position, twin)) return false;
        if (twin.TypeParameters.Length == 0 || twin.TypeParameters.Length != call.TypeArguments.Length) return true;
        for (var i = 0; i < twin.TypeParameters.Length; i++)
        {
            var parameter = twin.TypeParameters[i];
            var argument = call.TypeArguments[i];
            if (argument.TypeKind == TypeKind.Error) continue;
            if (parameter.HasReferenceTypeConstraint && !argument.IsReferenceType) return false;
            if ((parameter.HasValueTypeConstraint || parameter.HasUnmanagedTypeConstraint) && !argument.IsValueType) return false;
            if (parameter.HasConstructorConstraint && !HasPublicParameterlessConstructor(argument)) return false;
            foreach (var constraint in parameter.ConstraintTypes)
            {
                // A constraint over other type parameters (where T : IComparable<T>) is left to the compiler.
                if (ContainsTypeParameter(constraint)) continue;
                if (!model.Compilation.HasImplicitConversion(argument, constraint)) return false;
            }
        }

        return true;
    }

    private static bool HasPublicParameterlessConstructor(ITypeSymbol type) => type switch
    {
        { IsValueType: true } => true,
        ITypeParameterSymbol typeParameter => typeParameter.HasConstructorConstraint,
        INamedTypeSymbol { IsAbstract: false } named => named.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility == Accessibility.Public),
        _ => false,
    };

    private static bool ContainsTypeParameter(ITypeSymbol type) => type switch
    {
        ITypeParameterSymbol => true,
        IArrayTypeSymbol array => ContainsTypeParameter(array.ElementType),
        INamedTypeSymbol named => named.TypeArguments.Any(ContainsTypeParameter),
        _ => false,
    };

    private static IEnumerable<INamedTypeSymbol> SearchTypes(IMethodSymbol method)
    {
        var type = method.ContainingType;
        if (type is null) yield break;
        if (method.IsStatic || type.TypeKind != TypeKind.Interface)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                yield return current;
                if (method.IsStatic) yield break;
            }
        }
        else
        {
            yield return type;
            foreach (var inherited in type.AllInterfaces) yield return inherited;
        }
    }

    /// <summary>The index of the extra token parameter of <paramref name="candidate"/>, or -1 when it is not "the same plus a token".</summary>
    private int TokenOverloadIndex(IMethodSymbol method, IMethodSymbol candidate)
    {
        var tokenIndex = -1;
        for (int i = 0, j = 0; i < candidate.Parameters.Length; i++)
        {
            var parameter = candidate.Parameters[i];
            if (tokenIndex < 0 && symbols.IsCancellationToken(parameter.OriginalDefinition.Type) && parameter.RefKind == RefKind.None
                && (j >= method.Parameters.Length || !symbols.IsCancellationToken(method.Parameters[j].Type)))
            {
                tokenIndex = i;
                continue;
            }

            if (j >= method.Parameters.Length) return -1;
            var original = method.Parameters[j++];
            if (original.RefKind != parameter.RefKind || !SymbolEqualityComparer.Default.Equals(original.Type, parameter.Type)) return -1;
        }

        return tokenIndex;
    }

    /// <summary>The twin's awaited value has the sync method's type (void for a plain task).</summary>
    private bool ResultMatches(IMethodSymbol method, IMethodSymbol twin)
    {
        var result = TaskFacts.AwaitedType(twin.ReturnType, symbols);
        if (method.ReturnsVoid) return result is null || result.SpecialType == SpecialType.System_Void;
        return result is not null && TypesMatch(method.ReturnType, result);
    }

    private enum ParameterMatch { None, Same, SamePlusToken, MemoryForm }

    private ParameterMatch MatchParameters(ImmutableArray<IParameterSymbol> sync, ImmutableArray<IParameterSymbol> twin)
    {
        int i = 0, j = 0;
        var memoryForm = false;
        while (i < sync.Length)
        {
            if (j >= twin.Length) return ParameterMatch.None;
            var s = sync[i];
            var t = twin[j];
            if (s.RefKind is RefKind.Ref or RefKind.Out || t.RefKind != RefKind.None) return ParameterMatch.None;
            if (TypesMatch(s.Type, t.Type) && s.IsParams == t.IsParams)
            {
                i++;
                j++;
            }
            else if (IsMemoryOf(t.Type, ElementOfSpan(s.Type)))
            {
                memoryForm = true;
                i++;
                j++;
            }
            else if (s.Type is IArrayTypeSymbol { Rank: 1 } array && i + 2 < sync.Length
                && sync[i + 1].Type.SpecialType == SpecialType.System_Int32 && sync[i + 2].Type.SpecialType == SpecialType.System_Int32
                && IsMemoryOf(t.Type, array.ElementType))
            {
                memoryForm = true;
                i += 3;
                j++;
            }
            else
            {
                return ParameterMatch.None;
            }
        }

        var plusToken = j == twin.Length - 1 && symbols.IsCancellationToken(twin[j].Type);
        if (j != twin.Length && !plusToken) return ParameterMatch.None;
        if (memoryForm) return ParameterMatch.MemoryForm;
        return plusToken ? ParameterMatch.SamePlusToken : ParameterMatch.Same;
    }

    private ITypeSymbol? ElementOfSpan(ITypeSymbol type) =>
        type is INamedTypeSymbol { TypeArguments.Length: 1 } named
        && (SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, span) || SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, readOnlySpan))
            ? named.TypeArguments[0]
            : null;

    private bool IsMemoryOf(ITypeSymbol type, ITypeSymbol? element) =>
        element is not null
        && type is INamedTypeSymbol { TypeArguments.Length: 1 } named
        && (SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, memory) || SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, readOnlyMemory))
        && TypesMatch(named.TypeArguments[0], element);

    /// <summary>Type equality where a method's type parameters match by position.</summary>
    private static bool TypesMatch(ITypeSymbol a, ITypeSymbol b)
    {
        if (SymbolEqualityComparer.Default.Equals(a, b)) return true;
        switch (a)
        {
            case ITypeParameterSymbol { TypeParameterKind: TypeParameterKind.Method } ta:
                return b is ITypeParameterSymbol { TypeParameterKind: TypeParameterKind.Method } tb && ta.Ordinal == tb.Ordinal;
            case IArrayTypeSymbol aa:
                return b is IArrayTypeSymbol ba && aa.Rank == ba.Rank && TypesMatch(aa.ElementType, ba.ElementType);
            case INamedTypeSymbol { IsGenericType: true } na:
                return b is INamedTypeSymbol { IsGenericType: true } nb
                    && SymbolEqualityComparer.Default.Equals(na.OriginalDefinition, nb.OriginalDefinition)
                    && na.TypeArguments.Length == nb.TypeArguments.Length
                    && na.TypeArguments.Zip(nb.TypeArguments, TypesMatch).All(x => x);
            default:
                return false;
        }
    }
}

/// <summary>
/// A token overload: the method, the index of its token parameter, whether it returns another
/// awaitable kind (the same only when the call is awaited), and the ordinal of the params array
/// the call must pass as an array (-1 when none).
/// </summary>
internal sealed record TokenOverload(IMethodSymbol Overload, int TokenIndex, bool AwaitedOnly, int ParamsOrdinal);

/// <summary>The async twins of one synchronous method.</summary>
internal sealed class AsyncTwins
{
    public static readonly AsyncTwins None = new(string.Empty, null, null, false, false);

    public AsyncTwins(string name, IMethodSymbol? plain, IMethodSymbol? withToken, bool memoryFormOnly, bool anyNamed)
    {
        Name = name;
        Plain = plain;
        WithToken = withToken;
        MemoryFormOnly = memoryFormOnly;
        AnyNamed = anyNamed;
    }

    /// <summary><c>&lt;Name&gt;Async</c>.</summary>
    public string Name { get; }

    /// <summary>The twin with the same parameters.</summary>
    public IMethodSymbol? Plain { get; }

    /// <summary>The twin with the same parameters plus a trailing token.</summary>
    public IMethodSymbol? WithToken { get; }

    /// <summary>Only a twin that takes a Memory where the method takes a span or an array segment.</summary>
    public bool MemoryFormOnly { get; }

    /// <summary>Some method named <c>&lt;Name&gt;Async</c> exists where the twins are searched, matching or not.</summary>
    public bool AnyNamed { get; }

    public bool HasTwin => Plain is not null || WithToken is not null || MemoryFormOnly;
}
