using Microsoft.CodeAnalysis.Operations;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AsyncGuard.CodeFixes.Common;

/// <summary>
/// The function (method, local function, lambda, anonymous method) around a node, and how
/// to turn it into an async one when it is not yet: add the <c>async</c> modifier and rewrite
/// its <c>return</c> statements. Returns null wherever that cannot be done correctly.
/// </summary>
internal static class AsyncFunction
{
    /// <summary>The innermost function declaration or lambda that contains <paramref name="node"/>.</summary>
    public static SyntaxNode? Enclosing(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case AnonymousFunctionExpressionSyntax:
                case LocalFunctionStatementSyntax:
                case BaseMethodDeclarationSyntax:
                case AccessorDeclarationSyntax:
                case PropertyDeclarationSyntax:
                case IndexerDeclarationSyntax:
                case GlobalStatementSyntax:
                case FieldDeclarationSyntax:
                case BaseTypeDeclarationSyntax:
                    return current;
            }
        }

        return null;
    }

    /// <summary>
    /// True when an <c>await</c> may be written at <paramref name="node"/> inside its function:
    /// not inside a <c>lock</c> body, an <c>unsafe</c> block, or a query clause.
    /// </summary>
    public static bool CanAwaitAt(SyntaxNode node, SyntaxNode function)
    {
        for (var current = node.Parent; current is not null && current != function; current = current.Parent)
        {
            switch (current)
            {
                case LockStatementSyntax:
                case UnsafeStatementSyntax:
                case QueryExpressionSyntax:
                    return false;
            }
        }

        return true;
    }

    /// <summary>The declared return type of a method, local function, lambda or anonymous method.</summary>
    public static ITypeSymbol? ReturnType(SyntaxNode function, SemanticModel model, CancellationToken cancellationToken) =>
        function switch
        {
            AnonymousFunctionExpressionSyntax lambda => (model.GetSymbolInfo(lambda, cancellationToken).Symbol as IMethodSymbol)?.ReturnType,
            _ => (model.GetDeclaredSymbol(function, cancellationToken) as IMethodSymbol)?.ReturnType,
        };

    /// <summary>
    /// True when an <c>await</c> can be added to <paramref name="function"/>: it is async already,
    /// it is top-level code, or <see cref="MakeAsync"/> can make it async.
    /// </summary>
    public static bool CanBecomeAsync(SyntaxNode function, SemanticModel model, CancellationToken cancellationToken) =>
        IsAsync(function)
        || function is GlobalStatementSyntax
        || MakeAsync(function, ReturnType(function, model, cancellationToken), model) is not null;

    /// <summary>True when the function already has the <c>async</c> modifier.</summary>
    public static bool IsAsync(SyntaxNode function) => Modifiers(function).Any(SyntaxKind.AsyncKeyword);

    /// <summary>
    /// The function with <paramref name="edits"/> (original node to new node) applied and,
    /// when it is not async yet, rewritten as async: the modifier added and each <c>return</c>
    /// of a completed task turned into a plain return. Null when that cannot be done
    /// correctly. Top-level statements need no modifier.
    /// </summary>
    public static SyntaxNode? MakeAsync(SyntaxNode function, ITypeSymbol? returnType, SemanticModel model, IReadOnlyDictionary<SyntaxNode, SyntaxNode>? edits = null)
        => MakeAsync(function, returnType, model, edits, awaitReturnedTasks: false, configureAwaitFalse: false);

    /// <summary>
    /// <see cref="MakeAsync(SyntaxNode, ITypeSymbol?, SemanticModel, IReadOnlyDictionary{SyntaxNode, SyntaxNode}?)"/>,
    /// and, when <paramref name="awaitReturnedTasks"/> is set, a <c>return</c> of a task of the
    /// function's own return type is awaited instead of refused: <c>return await t;</c> for a
    /// task with a result, <c>await t;</c> (then <c>return;</c> unless it ends the function) for one without.
    /// </summary>
    public static SyntaxNode? MakeAsync(SyntaxNode function, ITypeSymbol? returnType, SemanticModel model, IReadOnlyDictionary<SyntaxNode, SyntaxNode>? edits, bool awaitReturnedTasks, bool configureAwaitFalse)
    {
        edits ??= new Dictionary<SyntaxNode, SyntaxNode>();
        if (function is GlobalStatementSyntax || IsAsync(function))
            return function.ReplaceNodes(edits.Keys, (original, _) => edits[original]);
        if (function is not (MethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax)) return null;
        if (returnType is not INamedTypeSymbol named || !IsBuilderTaskType(named, model)) return null;
        if (Modifiers(function).Any(SyntaxKind.UnsafeKeyword)) return null;
        if (ParameterList(function) is { } parameters
            && parameters.Parameters.Any(p => p.Modifiers.Any(m => m.IsKind(SyntaxKind.RefKeyword) || m.IsKind(SyntaxKind.OutKeyword) || m.IsKind(SyntaxKind.InKeyword))))
            return null;

        var body = Body(function);
        if (body is not BlockSyntax block) return null; // an expression body returning a task cannot be awaited into
        if (block.DescendantNodes(n => !IsNestedFunction(n)).Any(n => n is YieldStatementSyntax)) return null;

        // Plan on the original tree, where the semantic model applies.
        var isGeneric = named.TypeArguments.Length == 1;
        var returnValues = new Dictionary<SyntaxNode, ExpressionSyntax?>();
        var awaitedReturns = new Dictionary<SyntaxNode, bool>();
        foreach (var statement in block.DescendantNodes(n => !IsNestedFunction(n)).OfType<ReturnStatementSyntax>())
        {
            if (!TryUnwrapReturnedValue(statement.Expression, isGeneric, model, out var value))
            {
                if (!awaitReturnedTasks || statement.Expression is null
                    || !SymbolEqualityComparer.Default.Equals(model.GetTypeInfo(statement.Expression).Type, named)) return null;
                awaitedReturns.Add(statement, IsTail(statement, block));
                continue;
            }

            returnValues.Add(statement, value);
        }

        // Rewrite bottom-up: a returned value is marked so that its (possibly edited) form can be found again.
        var valueMarks = returnValues.Values.Where(v => v is not null).ToDictionary(v => (SyntaxNode)v!, _ => new SyntaxAnnotation());
        var nodes = edits.Keys.Concat(returnValues.Keys).Concat(valueMarks.Keys).Concat(awaitedReturns.Keys).Distinct();
        var flatten = new SyntaxAnnotation();
        var newBlock = block.ReplaceNodes(nodes, (original, rewritten) =>
        {
            var result = edits.TryGetValue(original, out var edited) ? edited : rewritten;
            if (result is ReturnStatementSyntax { Expression: { } task } awaitedReturn && awaitedReturns.TryGetValue(original, out var isTail))
            {
                var awaited = AwaitStyle.Await(task.WithoutTrivia(), configureAwaitFalse).WithTriviaFrom(task);
                if (isGeneric) return awaitedReturn.WithExpression(awaited);
                var awaitStatement = ExpressionStatement(awaited).WithTriviaFrom(awaitedReturn);
                if (isTail) return awaitStatement;
                return Block(awaitStatement.WithoutTrailingTrivia().WithTrailingTrivia(ElasticLineFeed), ReturnStatement().WithTrailingTrivia(awaitedReturn.GetTrailingTrivia()))
                    .WithAdditionalAnnotations(flatten, Microsoft.CodeAnalysis.Formatting.Formatter.Annotation);
            }

            if (valueMarks.TryGetValue(original, out var mark)) return result.WithAdditionalAnnotations(mark);
            if (result is ReturnStatementSyntax statement && returnValues.TryGetValue(original, out var value))
            {
                if (value is null)
                    return statement.WithExpression(null).WithReturnKeyword(statement.ReturnKeyword.WithTrailingTrivia());
                var newValue = statement.GetAnnotatedNodes(valueMarks[value]).OfType<ExpressionSyntax>().First();
                return statement.WithExpression(newValue.WithTriviaFrom(statement.Expression!));
            }

            return result;
        });

        // 'await t; return;' goes straight into a block; elsewhere (an embedded statement) it stays braced.
        if (awaitedReturns.Count > 0) newBlock = Flatten(newBlock, flatten);

        // A bare 'return;' as the last statement is noise once the method is async.
        if (newBlock.Statements.LastOrDefault() is ReturnStatementSyntax { Expression: null } last
            && !last.GetLeadingTrivia().Any(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineCommentTrivia)))
        {
            newBlock = newBlock.WithStatements(newBlock.Statements.Remove(last));
        }

        return AddAsyncModifier(WithBody(function, newBlock));
    }

    /// <summary>
    /// What a <c>return</c> of a non-async task function returns once it is async: the result
    /// expression, or null for no value. False when the return cannot be rewritten.
    /// </summary>
    private static bool TryUnwrapReturnedValue(ExpressionSyntax? expression, bool isGeneric, SemanticModel model, out ExpressionSyntax? value)
    {
        value = null;
        if (expression is null) return false;
        var operation = model.GetOperation(expression);
        while (operation is IConversionOperation { IsImplicit: true } conversion) operation = conversion.Operand;
        if (KnownSymbols.From(model.Compilation) is not { } symbols) return false;
        bool Is(ITypeSymbol? type, INamedTypeSymbol? known, INamedTypeSymbol? other = null) =>
            type is not null && (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, known) || (other is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, other)));

        switch (operation)
        {
            // Task.CompletedTask, ValueTask.CompletedTask
            case IPropertyReferenceOperation { Property: { Name: "CompletedTask", IsStatic: true } property } when !isGeneric && Is(property.ContainingType, symbols.Task, symbols.ValueTask):
                return true;
            // default, default(ValueTask), new ValueTask()
            case IDefaultValueOperation defaultValue when !isGeneric && Is(defaultValue.Type, symbols.ValueTask):
            case IObjectCreationOperation { Arguments.Length: 0 } empty when !isGeneric && Is(empty.Type, symbols.ValueTask):
                return true;
            // Task.FromResult(x), ValueTask.FromResult(x)
            case IInvocationOperation { TargetMethod: { Name: "FromResult", IsStatic: true } method, Arguments.Length: 1 } invocation
                when isGeneric && Is(method.ContainingType, symbols.Task, symbols.ValueTask):
                value = invocation.Arguments[0].Value.Syntax as ExpressionSyntax;
                return value is not null;
            // new ValueTask<T>(x)
            case IObjectCreationOperation { Arguments.Length: 1 } creation when isGeneric && Is(creation.Type, symbols.ValueTaskOfT)
                && creation.Arguments[0].Parameter?.Type is ITypeParameterSymbol:
                value = creation.Arguments[0].Value.Syntax as ExpressionSyntax;
                return value is not null;
            default:
                return false;
        }
    }

    private static BlockSyntax Flatten(BlockSyntax block, SyntaxAnnotation flatten)
    {
        static SyntaxList<StatementSyntax> Expand(SyntaxList<StatementSyntax> statements, SyntaxAnnotation flatten) =>
            List(statements.SelectMany(s => s is BlockSyntax inner && inner.HasAnnotation(flatten)
                ? inner.Statements.Select((t, i) => i == 0 ? t.WithLeadingTrivia(inner.GetLeadingTrivia()) : t)
                : new[] { s }));

        var parents = block.GetAnnotatedNodes(flatten).Select(n => n.Parent).OfType<BlockSyntax>().Where(p => p != block).Distinct().ToList();
        var result = block.ReplaceNodes(parents, (_, rewritten) => rewritten.WithStatements(Expand(rewritten.Statements, flatten)));
        return result.WithStatements(Expand(result.Statements, flatten));
    }

    /// <summary>True when nothing runs after <paramref name="statement"/> but the end of <paramref name="body"/> (and finally blocks).</summary>
    private static bool IsTail(SyntaxNode statement, BlockSyntax body)
    {
        for (var node = statement; ;)
        {
            switch (node.Parent)
            {
                case BlockSyntax block:
                    if (block.Statements.LastOrDefault() != node) return false;
                    if (block == body) return true;
                    node = block;
                    break;
                case UsingStatementSyntax or LockStatementSyntax or FixedStatementSyntax:
                    node = node.Parent;
                    break;
                case TryStatementSyntax @try when @try.Block == node:
                    node = @try;
                    break;
                case CatchClauseSyntax { Parent: TryStatementSyntax @try }:
                    node = @try;
                    break;
                default:
                    return false;
            }
        }
    }

    /// <summary>Task, Task&lt;T&gt;, ValueTask or ValueTask&lt;T&gt; themselves: the return types an async method can have here.</summary>
    private static bool IsBuilderTaskType(INamedTypeSymbol type, SemanticModel model) =>
        KnownSymbols.From(model.Compilation) is { } symbols
        && (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, symbols.Task)
            || SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, symbols.TaskOfT)
            || SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, symbols.ValueTask)
            || SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, symbols.ValueTaskOfT));

    public static bool IsNestedFunction(SyntaxNode node) =>
        node is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax;

    private static SyntaxTokenList Modifiers(SyntaxNode function) => function switch
    {
        MemberDeclarationSyntax member => member.Modifiers,
        LocalFunctionStatementSyntax local => local.Modifiers,
        AnonymousFunctionExpressionSyntax lambda => lambda.Modifiers,
        _ => default,
    };

    private static ParameterListSyntax? ParameterList(SyntaxNode function) => function switch
    {
        BaseMethodDeclarationSyntax method => method.ParameterList,
        LocalFunctionStatementSyntax local => local.ParameterList,
        ParenthesizedLambdaExpressionSyntax lambda => lambda.ParameterList,
        AnonymousMethodExpressionSyntax anonymous => anonymous.ParameterList,
        _ => null,
    };

    private static CSharpSyntaxNode? Body(SyntaxNode function) => function switch
    {
        BaseMethodDeclarationSyntax method => (CSharpSyntaxNode?)method.Body ?? method.ExpressionBody?.Expression,
        LocalFunctionStatementSyntax local => (CSharpSyntaxNode?)local.Body ?? local.ExpressionBody?.Expression,
        AnonymousFunctionExpressionSyntax lambda => lambda.Body,
        _ => null,
    };

    private static SyntaxNode WithBody(SyntaxNode function, BlockSyntax body) => function switch
    {
        MethodDeclarationSyntax method => method.WithBody(body),
        LocalFunctionStatementSyntax local => local.WithBody(body),
        AnonymousFunctionExpressionSyntax lambda => lambda.WithBody(body),
        _ => function,
    };

    /// <summary>Adds <c>async</c> where the language wants it, carrying the leading trivia over.</summary>
    public static SyntaxNode AddAsyncModifier(SyntaxNode function)
    {
        var asyncKeyword = Token(SyntaxKind.AsyncKeyword).WithTrailingTrivia(Space);
        switch (function)
        {
            case MethodDeclarationSyntax method:
                return method.Modifiers.Count == 0
                    ? method.WithReturnType(method.ReturnType.WithoutLeadingTrivia())
                        .WithModifiers(TokenList(asyncKeyword.WithLeadingTrivia(method.ReturnType.GetLeadingTrivia())))
                    : method.WithModifiers(InsertAsync(method.Modifiers, asyncKeyword));
            case LocalFunctionStatementSyntax local:
                return local.Modifiers.Count == 0
                    ? local.WithReturnType(local.ReturnType.WithoutLeadingTrivia())
                        .WithModifiers(TokenList(asyncKeyword.WithLeadingTrivia(local.ReturnType.GetLeadingTrivia())))
                    : local.WithModifiers(InsertAsync(local.Modifiers, asyncKeyword));
            case AnonymousFunctionExpressionSyntax lambda:
                var leading = lambda.GetLeadingTrivia();
                var stripped = lambda.WithoutLeadingTrivia();
                return ((AnonymousFunctionExpressionSyntax)stripped)
                    .WithModifiers(((AnonymousFunctionExpressionSyntax)stripped).Modifiers.Insert(0, asyncKeyword))
                    .WithLeadingTrivia(leading);
            default:
                return function;
        }
    }

    // 'async' goes after access and 'static'/'override'-like modifiers, as the IDE orders them.
    private static SyntaxTokenList InsertAsync(SyntaxTokenList modifiers, SyntaxToken asyncKeyword)
    {
        var index = modifiers.Count;
        for (var i = 0; i < modifiers.Count; i++)
        {
            if (modifiers[i].IsKind(SyntaxKind.PartialKeyword)) { index = i; break; }
        }

        return modifiers.Insert(index, asyncKeyword);
    }
}
