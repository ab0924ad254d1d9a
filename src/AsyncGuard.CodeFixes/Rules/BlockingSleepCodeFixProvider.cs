using AsyncGuard.Rules;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AsyncGuard.CodeFixes.Rules;

/// <summary>
/// Replaces <c>Thread.Sleep(x)</c> with <c>await Task.Delay(x)</c> (AGD0001), passing the token
/// in scope, and makes a non-async task-returning function async when its returns can be
/// rewritten. Not offered where an <c>await</c> cannot go (inside <c>lock</c>, for one).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BlockingSleepCodeFixProvider)), Shared]
public sealed class BlockingSleepCodeFixProvider : CodeFixProvider
{
    public const string EquivalenceKey = "AGD0001.AwaitTaskDelay";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.AGD0001_BlockingSleep.Id);

    public override FixAllProvider GetFixAllProvider() => FixAll.Sequential;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return;

        foreach (var diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax invocation) continue;
            if (invocation.ArgumentList.Arguments.Count != 1) continue;
            if (invocation.Parent is not ExpressionStatementSyntax and not ArrowExpressionClauseSyntax
                && !(invocation.Parent is AnonymousFunctionExpressionSyntax lambda && lambda.Body == invocation)) continue;

            var function = AsyncFunction.Enclosing(invocation);
            if (function is null || !AsyncFunction.CanAwaitAt(invocation, function)) continue;
            if (!AsyncFunction.CanBecomeAsync(function, model, context.CancellationToken)) continue;

            diagnostic.Properties.TryGetValue(BlockingSleepAnalyzer.TokenProperty, out var token);
            context.RegisterCodeFix(
                CodeAction.Create(
                    token is null ? "Use 'await Task.Delay'" : $"Use 'await Task.Delay' with '{token}'",
                    ct => FixAsync(context.Document, invocation, token, ct),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document> FixAsync(Document document, InvocationExpressionSyntax invocation, string? token, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return document;
        var function = AsyncFunction.Enclosing(invocation);
        if (function is null || TypeNames.Task(document, model) is not { } taskName) return document;

        // Task.Delay(<the same argument>[, token]), awaited.
        var arguments = SeparatedList(new[] { Argument(invocation.ArgumentList.Arguments[0].Expression) });
        if (token is not null) arguments = arguments.Add(Argument(ParseExpression(token)));
        var delay = InvocationExpression(
            MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, taskName, IdentifierName("Delay")),
            invocation.ArgumentList.WithArguments(arguments));
        var awaited = AwaitStyle.Await(delay, AwaitStyle.PrefersConfigureAwaitFalse(root)).WithTriviaFrom(invocation);

        return await AsyncEdit.ReplaceInAsyncFunctionAsync(document, root, model, function, invocation, awaited, cancellationToken).ConfigureAwait(false);
    }

}
