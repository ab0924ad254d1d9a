using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace AsyncGuard;

/// <summary>
/// Types that carry a cancellation token one level down: a handler's <c>job.Token</c>, an
/// ASP.NET <c>context.RequestAborted</c>, a hub's <c>Context.ConnectionAborted</c>, a positional
/// record's <c>Token</c>. Their public instance <c>CancellationToken</c> (or <c>CancellationToken?</c>)
/// fields and properties, cached per type. The threading types themselves
/// (<c>CancellationTokenRegistration.Token</c>, <c>TaskFactory.CancellationToken</c>) and exceptions
/// (<c>OperationCanceledException.CancellationToken</c>, a token that already fired) carry none.
/// </summary>
internal sealed class TokenCarriers
{
    private static readonly ConditionalWeakTable<KnownSymbols, TokenCarriers> Cache = new();

    private readonly KnownSymbols symbols;
    private readonly ConcurrentDictionary<ITypeSymbol, ImmutableArray<ISymbol>> tokens = new(SymbolEqualityComparer.Default);
    private readonly System.Func<ITypeSymbol, ImmutableArray<ISymbol>> compute;
    private readonly ConcurrentDictionary<INamedTypeSymbol, ImmutableArray<(IPropertySymbol Owner, ISymbol Token)>> contexts = new(SymbolEqualityComparer.Default);
    private readonly System.Func<INamedTypeSymbol, ImmutableArray<(IPropertySymbol Owner, ISymbol Token)>> computeContexts;

    private TokenCarriers(KnownSymbols symbols)
    {
        this.symbols = symbols;
        compute = Compute;
        computeContexts = ComputeContexts;
    }

    /// <summary>
    /// The tokens of a type's own context properties (a hub's <c>Context.ConnectionAborted</c>, a
    /// controller's <c>HttpContext.RequestAborted</c>): instance properties of <paramref name="type"/>
    /// and its base types (not private ones of a base) whose type carries a token.
    /// </summary>
    public ImmutableArray<(IPropertySymbol Owner, ISymbol Token)> ContextTokensOf(INamedTypeSymbol type) => contexts.GetOrAdd(type, computeContexts);

    private ImmutableArray<(IPropertySymbol Owner, ISymbol Token)> ComputeContexts(INamedTypeSymbol type)
    {
        var builder = ImmutableArray.CreateBuilder<(IPropertySymbol, ISymbol)>();
        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (member is not IPropertySymbol { IsStatic: false, GetMethod: not null, Parameters.Length: 0 } property || member.IsImplicitlyDeclared) continue;
                if (!SymbolEqualityComparer.Default.Equals(current, type) && member.DeclaredAccessibility == Accessibility.Private) continue;
                if (!seen.Add(property.Name)) continue; // overridden or hidden: the most derived one
                foreach (var token in TokensOf(property.Type)) builder.Add((property, token));
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>The carriers of the compilation <paramref name="symbols"/> belongs to.</summary>
    public static TokenCarriers For(KnownSymbols symbols) => Cache.GetValue(symbols, static s => new TokenCarriers(s));

    /// <summary>The token members of <paramref name="type"/> that code holding an instance may pass on.</summary>
    public ImmutableArray<ISymbol> TokensOf(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct or TypeKind.Interface, SpecialType: SpecialType.None } named) return ImmutableArray<ISymbol>.Empty;
        return tokens.GetOrAdd(named, compute);
    }

    private ImmutableArray<ISymbol> Compute(ITypeSymbol type)
    {
        if (symbols.IsTokenLike(type) || KnownSymbols.InheritsFrom(type, symbols.Exception)) return ImmutableArray<ISymbol>.Empty;
        var ns = type.ContainingNamespace?.ToDisplayString();
        if (ns is "System.Threading" or "System.Threading.Tasks" or "System.Runtime.CompilerServices") return ImmutableArray<ISymbol>.Empty;
        var named = (INamedTypeSymbol)type;
        var members = named.TypeKind == TypeKind.Interface
            ? named.GetMembers().Concat(named.AllInterfaces.SelectMany(i => i.GetMembers()))
            : symbols.TokenMembers(named);
        var builder = ImmutableArray.CreateBuilder<ISymbol>();
        foreach (var member in members)
        {
            if (member.IsStatic || member.DeclaredAccessibility != Accessibility.Public) continue;
            var memberType = member switch
            {
                IFieldSymbol field => field.Type,
                IPropertySymbol { GetMethod: not null, Parameters.Length: 0 } property => property.Type,
                _ => null,
            };
            if (symbols.IsCancellationTokenOrNullable(memberType)) builder.Add(member);
        }

        return builder.ToImmutable();
    }
}
