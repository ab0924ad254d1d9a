using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncGuard;

/// <summary>
/// What every rule asks about the code around an operation: which function it runs in,
/// whether that function is async context (RULES.md's definition), and which
/// cancellation token is in scope.
/// </summary>
internal static class AsyncContext
{
    /// <summary>
    /// The innermost function that contains <paramref name="operation"/>: a lambda, an
    /// anonymous method, a local function, or else the member being analyzed (which may
    /// not be a method, e.g. a field initializer).
    /// </summary>
    public static ISymbol? GetEnclosingFunction(IOperation operation, ISymbol? containingSymbol)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation lambda:
                    return lambda.Symbol;
                case ILocalFunctionOperation localFunction:
                    return localFunction.Symbol;
            }
        }

        return containingSymbol;
    }

    /// <summary>
    /// True when <paramref name="operation"/> runs in async context: the innermost enclosing
    /// function is async, or returns an awaitable or an async iterator type. A synchronous
    /// lambda inside an async method is not async context.
    /// </summary>
    public static bool IsAsyncContext(IOperation operation, ISymbol? containingSymbol, KnownSymbols symbols) =>
        IsAsyncFunction(GetEnclosingFunction(operation, containingSymbol), symbols);

    /// <summary>True for an async function, or one that returns an awaitable or IAsyncEnumerable/IAsyncEnumerator.</summary>
    public static bool IsAsyncFunction(ISymbol? function, KnownSymbols symbols) =>
        function is IMethodSymbol method
        && (method.IsAsync || symbols.IsAsyncReturnType(method.ReturnType));

    /// <summary>
    /// The cancellation token that code at <paramref name="node"/> should pass on, or null.
    /// Preference: a parameter of the innermost function (then of the functions around it),
    /// then a local declared before the node, then a field or property of the type; a
    /// <c>CancellationToken?</c> parameter and a <c>CancellationTokenSource</c> count after the
    /// plain tokens of the same kind. Nothing is taken from across a static lambda or static
    /// local function, nor instance members into a static context.
    /// </summary>
    public static TokenInScope? FindTokenInScope(SemanticModel model, SyntaxNode node, KnownSymbols symbols)
    {
        if (symbols.CancellationToken is null) return null;
        var position = node.SpanStart;
        var functions = EnclosingFunctions(model, node, out var staticContext);
        if (functions.Count == 0) return null;

        TokenInScope? best = null;
        var bestRank = int.MaxValue;
        foreach (var symbol in model.LookupSymbols(position))
        {
            var (type, kind) = symbol switch
            {
                IParameterSymbol p => (p.Type, 0),
                ILocalSymbol l => (l.Type, 1),
                IFieldSymbol f => (f.Type, 2),
                IPropertySymbol { GetMethod: not null, Parameters.Length: 0 } p => (p.Type, 2),
                _ => ((ITypeSymbol?)null, -1),
            };
            if (type is null) continue;

            var form = TokenForm(type, symbols);
            if (form is null) continue;

            int depth;
            if (kind == 2)
            {
                if (!symbol.IsStatic && staticContext) continue;
                if (symbol.IsImplicitlyDeclared) continue;
                depth = 0;
            }
            else
            {
                depth = functions.FindIndex(f => SymbolEqualityComparer.Default.Equals(f, symbol.ContainingSymbol));
                if (depth < 0) continue;
                if (kind == 1 && !DeclaredBefore(symbol, position)) continue;
            }

            // Rank: kind first (parameter, local, member), then how far out, then the form.
            var rank = (kind * 1000) + (depth * 10) + form.Value;
            if (rank < bestRank)
            {
                bestRank = rank;
                best = new TokenInScope(symbol, form.Value switch
                {
                    0 => symbol.Name,
                    1 => symbol.Name + ".GetValueOrDefault()",
                    _ => symbol.Name + ".Token",
                });
            }
        }

        return best;
    }

    /// <summary>0 for CancellationToken, 1 for CancellationToken?, 2 for CancellationTokenSource, null otherwise.</summary>
    private static int? TokenForm(ITypeSymbol type, KnownSymbols symbols)
    {
        if (symbols.IsCancellationToken(type)) return 0;
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
            && symbols.IsCancellationToken(nullable.TypeArguments[0])) return 1;
        if (symbols.CancellationTokenSource is not null
            && KnownSymbols.InheritsFrom(type, symbols.CancellationTokenSource)) return 2;
        return null;
    }

    private static bool DeclaredBefore(ISymbol local, int position) =>
        local.DeclaringSyntaxReferences.FirstOrDefault() is { } reference && reference.Span.End <= position;

    /// <summary>
    /// The function symbols around <paramref name="node"/>, innermost first, stopping at a
    /// static lambda or static local function (whose outer locals are out of reach).
    /// </summary>
    private static List<ISymbol> EnclosingFunctions(SemanticModel model, SyntaxNode node, out bool staticContext)
    {
        var result = new List<ISymbol>();
        staticContext = false;
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case AnonymousFunctionExpressionSyntax lambda:
                    if (model.GetSymbolInfo(lambda).Symbol is { } lambdaSymbol) result.Add(lambdaSymbol);
                    if (lambda.Modifiers.Any(SyntaxKind.StaticKeyword)) { staticContext = true; return result; }
                    break;
                case LocalFunctionStatementSyntax localFunction:
                    if (model.GetDeclaredSymbol(localFunction) is { } localSymbol) result.Add(localSymbol);
                    if (localFunction.Modifiers.Any(SyntaxKind.StaticKeyword)) { staticContext = true; return result; }
                    break;
                case BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or BasePropertyDeclarationSyntax:
                    var member = model.GetDeclaredSymbol(current);
                    if (member is IPropertySymbol property) member = property.GetMethod;
                    if (member is IEventSymbol) break;
                    if (member is not null) result.Add(member);
                    staticContext = member is null || member.IsStatic;
                    return result;
                case GlobalStatementSyntax global:
                    // Top-level statements: the synthesized entry point owns their locals.
                    if (model.GetEnclosingSymbol(global.SpanStart) is IMethodSymbol entryPoint) result.Add(entryPoint);
                    staticContext = true;
                    return result;
                case BaseTypeDeclarationSyntax or FieldDeclarationSyntax:
                    staticContext = true;
                    return result;
            }
        }

        return result;
    }
}

/// <summary>A token found in scope, and the expression that passes it on.</summary>
internal sealed record TokenInScope(ISymbol Symbol, string Expression);
