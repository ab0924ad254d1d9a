namespace AsyncGuard.CodeFixes.Rules;

/// <summary>
/// Makes the function async and awaits the task it returns from inside a using or try
/// (AGD0032), keeping the declared return type: <c>return await t;</c> for a task with a
/// result, <c>await t;</c> for one without. The other returns are rewritten too (completed
/// tasks to plain values, other tasks of the same type awaited); where one cannot be, or the
/// function has ref/out parameters or is an iterator, no fix is offered.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TaskReturnedFromUsingCodeFixProvider)), Shared]
public sealed class TaskReturnedFromUsingCodeFixProvider : CodeFixProvider
{
    public const string EquivalenceKey = "AGD0032.MakeAsyncAndAwait";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.AGD0032_TaskReturnedFromUsing.Id);

    public override FixAllProvider GetFixAllProvider() => FixAll.Provider;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return;

        foreach (var diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax { Parent: ReturnStatementSyntax returnStatement }) continue;
            var function = AsyncFunction.Enclosing(returnStatement);
            if (function is null || AsyncFunction.IsAsync(function) || !AsyncFunction.CanAwaitAt(returnStatement, function)) continue;
            if (MakeAsync(function, model, false, context.CancellationToken) is null) continue;

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Make the method async and await the task",
                    ct => FixAsync(context.Document, function, ct),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document> FixAsync(Document document, SyntaxNode function, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return document;

        var newFunction = MakeAsync(function, model, AwaitStyle.PrefersConfigureAwaitFalse(root), cancellationToken);
        if (newFunction is null) return document;
        var changed = document.WithSyntaxRoot(root.ReplaceNode(function, newFunction));
        return await FixSafety.KeepIfNoNewErrorsAsync(document, changed, cancellationToken).ConfigureAwait(false);
    }

    private static SyntaxNode? MakeAsync(SyntaxNode function, SemanticModel model, bool configureAwaitFalse, CancellationToken cancellationToken)
    {
        var returnType = function switch
        {
            AnonymousFunctionExpressionSyntax lambda => (model.GetSymbolInfo(lambda, cancellationToken).Symbol as IMethodSymbol)?.ReturnType,
            _ => (model.GetDeclaredSymbol(function, cancellationToken) as IMethodSymbol)?.ReturnType,
        };
        return AsyncFunction.MakeAsync(function, returnType, model, edits: null, awaitReturnedTasks: true, configureAwaitFalse);
    }
}
