using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AsyncGuard.CodeFixes.Rules;

/// <summary>
/// AGD0010: awaits the dropped task (where the function is async, or can become async without
/// changing its signature) or assigns it to the discard <c>_</c>. AGD0011: awaits the forgotten
/// local at the end of its scope, in an async function.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnobservedTaskCodeFixProvider)), Shared]
public sealed class UnobservedTaskCodeFixProvider : CodeFixProvider
{
    public const string AwaitEquivalenceKey = "AGD0010.Await";
    public const string DiscardEquivalenceKey = "AGD0010.Discard";
    public const string AwaitLocalEquivalenceKey = "AGD0011.AwaitAtEndOfScope";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.AGD0010_UnobservedTask.Id, Descriptors.AGD0011_UnobservedTaskLocal.Id);

    public override FixAllProvider GetFixAllProvider() => FixAll.Sequential;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return;

        foreach (var diagnostic in context.Diagnostics)
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (diagnostic.Id == Descriptors.AGD0011_UnobservedTaskLocal.Id)
            {
                RegisterAwaitLocal(context, diagnostic, node, model);
                continue;
            }

            if (node is not ExpressionSyntax expression) continue;

            if (CanAwait(expression, model, context.CancellationToken))
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Await the task", ct => AwaitAsync(context.Document, expression, ct), AwaitEquivalenceKey),
                    diagnostic);
            }

            if (CanDiscard(expression, model))
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Discard the task explicitly ('_ = ')", ct => DiscardAsync(context.Document, expression, ct), DiscardEquivalenceKey),
                    diagnostic);
            }
        }
    }

    // ---- AGD0010: await ----

    private static bool CanAwait(ExpressionSyntax expression, SemanticModel model, CancellationToken cancellationToken)
    {
        if (expression.Parent is not ExpressionStatementSyntax) return false;

        // Awaiting a task that was created but never started would wait forever.
        if (expression is ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax) return false;
        // 'x?.M() ?? Task.CompletedTask' needs the non-generic Task.
        if (expression is ConditionalAccessExpressionSyntax
            && !SymbolEqualityComparer.Default.Equals(model.GetTypeInfo(expression, cancellationToken).Type, KnownSymbols.From(model.Compilation)?.Task)) return false;

        var function = AsyncFunction.Enclosing(expression);
        return function is not null
            && AsyncFunction.CanAwaitAt(expression, function)
            && AsyncFunction.CanBecomeAsync(function, model, cancellationToken);
    }

    private static async Task<Document> AwaitAsync(Document document, ExpressionSyntax expression, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return document;
        var function = AsyncFunction.Enclosing(expression);
        if (function is null) return document;

        var operand = expression.WithoutTrivia();
        if (expression is ConditionalAccessExpressionSyntax)
        {
            // 'await x?.M()' throws when x is null; await a completed task instead.
            if (TypeNames.Task(document, model) is not { } taskName) return document;
            operand = ParenthesizedExpression(BinaryExpression(
                SyntaxKind.CoalesceExpression,
                operand,
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, taskName, IdentifierName("CompletedTask"))));
        }

        var awaited = AwaitStyle.Await(operand, AwaitStyle.PrefersConfigureAwaitFalse(root)).WithTriviaFrom(expression);
        return await AsyncEdit.ReplaceInAsyncFunctionAsync(document, root, model, function, expression, awaited, cancellationToken).ConfigureAwait(false);
    }

    // ---- AGD0010: discard ----

    private static bool CanDiscard(ExpressionSyntax expression, SemanticModel model)
    {
        if (expression.Parent is not (ExpressionStatementSyntax or ArrowExpressionClauseSyntax or AnonymousFunctionExpressionSyntax)) return false;

        // '_ = x' assigns to a variable when something named '_' is in scope.
        return model.LookupSymbols(expression.SpanStart, name: "_").IsEmpty;
    }

    private static async Task<Document> DiscardAsync(Document document, ExpressionSyntax expression, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null) return document;
        // The '_' token must carry the underscore contextual kind to bind as a discard.
        var underscore = IdentifierName(Identifier(default, SyntaxKind.UnderscoreToken, "_", "_", default));
        var discard = AssignmentExpression(
                SyntaxKind.SimpleAssignmentExpression,
                underscore,
                Token(SyntaxKind.EqualsToken).WithLeadingTrivia(Space).WithTrailingTrivia(Space),
                expression.WithoutTrivia())
            .WithTriviaFrom(expression);
        var changed = document.WithSyntaxRoot(root.ReplaceNode(expression, discard));
        return await FixSafety.KeepIfNoNewErrorsAsync(document, changed, cancellationToken).ConfigureAwait(false);
    }

    // ---- AGD0011: await at the end of the scope ----

    private static void RegisterAwaitLocal(CodeFixContext context, Diagnostic diagnostic, SyntaxNode node, SemanticModel model)
    {
        if (node is not VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Parent: LocalDeclarationStatementSyntax { Parent: BlockSyntax block } declaration } } declarator) return;
        var function = AsyncFunction.Enclosing(declaration);
        if (function is null || !AsyncFunction.IsAsync(function) || !AsyncFunction.CanAwaitAt(declaration, function)) return;
        if (model.GetDeclaredSymbol(declarator, context.CancellationToken) is not ILocalSymbol local) return;

        context.RegisterCodeFix(
            CodeAction.Create(
                $"Await '{local.Name}' at the end of its scope",
                ct => AwaitLocalAsync(context.Document, block, declaration, local.Name, ct),
                AwaitLocalEquivalenceKey),
            diagnostic);
    }

    private static async Task<Document> AwaitLocalAsync(Document document, BlockSyntax block, LocalDeclarationStatementSyntax declaration, string name, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null) return document;

        var awaitStatement = ExpressionStatement(AwaitStyle.Await(IdentifierName(name), AwaitStyle.PrefersConfigureAwaitFalse(root)))
            .WithAdditionalAnnotations(Microsoft.CodeAnalysis.Formatting.Formatter.Annotation);

        // Before a closing jump (return, throw, break, continue), else as the last statement.
        var statements = block.Statements;
        var index = statements.Count;
        if (index > 0 && statements[index - 1] is ReturnStatementSyntax or ThrowStatementSyntax or BreakStatementSyntax or ContinueStatementSyntax or GotoStatementSyntax)
            index--;
        if (index <= statements.IndexOf(declaration)) index = statements.IndexOf(declaration) + 1;

        var changed = document.WithSyntaxRoot(root.ReplaceNode(block, block.WithStatements(statements.Insert(index, awaitStatement))));
        changed = await Microsoft.CodeAnalysis.Formatting.Formatter.FormatAsync(changed, Microsoft.CodeAnalysis.Formatting.Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await FixSafety.KeepIfNoNewErrorsAsync(document, changed, cancellationToken).ConfigureAwait(false);
    }
}
