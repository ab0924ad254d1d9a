using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

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
    /// then a local declared before the node, then a token one level down in a parameter
    /// (<c>job.Token</c>, see <see cref="TokenCarriers"/>), then a field or property of the type,
    /// then a token of the type's own context property (<c>Context.ConnectionAborted</c>); a
    /// <c>CancellationToken?</c> parameter and a <c>CancellationTokenSource</c> count after the
    /// plain tokens of the same kind. Nothing is taken from across a static lambda or static
    /// local function, nor instance members into a static context.
    /// </summary>
    public static TokenInScope? FindTokenInScope(SemanticModel model, SyntaxNode node, KnownSymbols symbols)
    {
        if (symbols.CancellationToken is null) return null;
        var functions = EnclosingFunctions(model, node, out var staticContext);
        if (functions.Count == 0) return null;

        // Only the candidates are looked at (no LookupSymbols: it lists every name in scope,
        // and this runs for every call that could take a token).
        var best = default(TokenInScope);
        var bestRank = int.MaxValue;
        var namesInScope = new HashSet<string>();
        void Consider(ISymbol symbol, ITypeSymbol type, int kind, int depth, string? owner = null)
        {
            if (TokenForm(type, symbols) is not { } form) return;
            var rank = (kind * 1000) + (depth * 10) + form;
            if (rank >= bestRank) return;
            bestRank = rank;
            var name = owner is null ? symbol.Name : owner + "." + symbol.Name;
            best = new TokenInScope(symbol, form switch
            {
                0 => name,
                1 => name + ".GetValueOrDefault()",
                _ => name + ".Token",
            });
        }

        for (var depth = 0; depth < functions.Count; depth++)
        {
            if (functions[depth] is not IMethodSymbol function) continue;
            foreach (var parameter in function.Parameters)
            {
                namesInScope.Add(parameter.Name);
                Consider(parameter, parameter.Type, 0, depth);
            }
        }

        foreach (var declarator in LocalsDeclaredBefore(node))
        {
            namesInScope.Add(declarator.Identifier.ValueText);
            if (!MayBeTokenLocal(declarator)) continue;
            if (model.GetDeclaredSymbol(declarator) is not ILocalSymbol local) continue;
            var depth = functions.FindIndex(f => SymbolEqualityComparer.Default.Equals(f, local.ContainingSymbol));
            if (depth >= 0) Consider(local, local.Type, 1, depth);
        }

        if (bestRank < 2000) return best;

        // One level down, after the direct parameters and locals: job.Token, context.RequestAborted.
        var carriers = TokenCarriers.For(symbols);
        for (var depth = 0; depth < functions.Count; depth++)
        {
            if (functions[depth] is not IMethodSymbol function) continue;
            foreach (var parameter in function.Parameters)
            {
                if (parameter.RefKind == RefKind.Out) continue;
                foreach (var carried in carriers.TokensOf(parameter.Type))
                {
                    if (model.IsAccessible(node.SpanStart, carried)) Consider(carried, MemberType(carried), 2, depth, parameter.Name);
                }
            }
        }

        if (bestRank < 3000 || functions[functions.Count - 1].ContainingType is not { } containingType) return best;
        foreach (var member in symbols.TokenMembers(containingType))
        {
            if (staticContext && !member.IsStatic) continue;
            if (namesInScope.Contains(member.Name)) continue; // shadowed by a parameter or local
            if (!model.IsAccessible(node.SpanStart, member)) continue;
            Consider(member, MemberType(member), 3, 0);
        }

        if (bestRank < 4000 || staticContext) return best;

        // The type's own context property: a hub's Context.ConnectionAborted.
        foreach (var (owner, token) in carriers.ContextTokensOf(containingType))
        {
            if (namesInScope.Contains(owner.Name) || !model.IsAccessible(node.SpanStart, owner) || !model.IsAccessible(node.SpanStart, token)) continue;
            Consider(token, MemberType(token), 4, 0, owner.Name);
        }

        return best;
    }

    private static ITypeSymbol MemberType(ISymbol member) => member is IFieldSymbol field ? field.Type : ((IPropertySymbol)member).Type;

    /// <summary>The local declarators in the blocks around <paramref name="node"/> that come before it.</summary>
    private static IEnumerable<VariableDeclaratorSyntax> LocalsDeclaredBefore(SyntaxNode node)
    {
        for (SyntaxNode? child = node, parent = node.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            if (parent is MemberDeclarationSyntax and not GlobalStatementSyntax) yield break;
            IEnumerable<SyntaxNode> before = parent switch
            {
                BlockSyntax block => block.Statements.TakeWhile(s => s != child),
                SwitchSectionSyntax section => section.Statements.TakeWhile(s => s != child),
                CompilationUnitSyntax unit => unit.Members.OfType<GlobalStatementSyntax>().TakeWhile(s => s != child).Select(g => g.Statement),
                UsingStatementSyntax usingStatement when child != usingStatement.Declaration => Declaration(usingStatement.Declaration),
                ForStatementSyntax forStatement when child != forStatement.Declaration => Declaration(forStatement.Declaration),
                _ => Enumerable.Empty<SyntaxNode>(),
            };
            foreach (var statement in before)
            {
                var declaration = statement switch
                {
                    LocalDeclarationStatementSyntax local => local.Declaration,
                    VariableDeclarationSyntax direct => direct,
                    _ => null,
                };
                if (declaration is null) continue;
                foreach (var declarator in declaration.Variables) yield return declarator;
            }
        }
    }

    private static IEnumerable<SyntaxNode> Declaration(VariableDeclarationSyntax? declaration) =>
        declaration is null ? Enumerable.Empty<SyntaxNode>() : new[] { declaration };

    // Only 'var' and token-looking type names need the semantic model.
    private static bool MayBeTokenLocal(VariableDeclaratorSyntax declarator) =>
        declarator.Parent is VariableDeclarationSyntax { Type: var type }
        && (type.IsVar || type.ToString().IndexOf("Cancellation", System.StringComparison.Ordinal) >= 0);

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
