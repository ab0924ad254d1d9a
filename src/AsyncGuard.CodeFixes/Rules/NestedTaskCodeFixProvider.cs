using AsyncGuard.Rules;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AsyncGuard.CodeFixes.Rules;

/// <summary>
/// Fixes AGD0014: <c>Task.Factory.StartNew(async ...)</c> with default options becomes
/// <c>Task.Run(async ...)</c> (keeping the token); any other StartNew or ContinueWith gets
/// <c>.Unwrap()</c>. Not offered for <c>new Task&lt;Task&gt;</c>, nor where the change would
/// alter the type of an explicitly typed local.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(NestedTaskCodeFixProvider)), Shared]
public sealed class NestedTaskCodeFixProvider : CodeFixProvider
{
    public const string TaskRunKey = "AGD0014.TaskRun";
    public const string UnwrapKey = "AGD0014.Unwrap";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.AGD0014_NestedTask.Id);

    public override FixAllProvider GetFixAllProvider() => FixAll.Provider;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return;

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(NestedTaskAnalyzer.FixProperty, out var fix)) continue;
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not SimpleNameSyntax
                {
                    Parent: MemberAccessExpressionSyntax { Parent: InvocationExpressionSyntax invocation } access,
                } name || access.Name != name) continue;

            // 'Task<Task> t = ...' would no longer compile with Task.Run; Unwrap changes the type too.
            var typeInfo = model.GetTypeInfo(invocation, context.CancellationToken);
            if (invocation.Parent is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Type.IsVar: false } } }
                && SymbolEqualityComparer.Default.Equals(typeInfo.Type, typeInfo.ConvertedType)) continue;

            if (fix == NestedTaskAnalyzer.TaskRunFix && access.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Factory" } factory)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Use 'Task.Run'", ct => UseTaskRunAsync(context.Document, invocation, factory.Expression, model, ct), TaskRunKey),
                    diagnostic);
            }
            else if (model.GetTypeInfo(invocation, context.CancellationToken).Type is { } type
                && !model.LookupSymbols(invocation.SpanStart, type, "Unwrap", includeReducedExtensionMethods: true).IsEmpty)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Call '.Unwrap()'", ct => UnwrapAsync(context.Document, invocation, ct), UnwrapKey),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> UseTaskRunAsync(Document document, InvocationExpressionSyntax invocation, ExpressionSyntax taskType, SemanticModel model, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null) return document;

        // Keep the delegate and the token; the options and scheduler the analyzer accepted are Task.Run's own.
        var operation = model.GetOperation(invocation, cancellationToken) as Microsoft.CodeAnalysis.Operations.IInvocationOperation;
        if (operation is null || KnownSymbols.From(model.Compilation) is not { } symbols) return document;
        var kept = operation.Arguments
            .Where(a => a.Parameter is { } p && (p.Ordinal == 0 || symbols.IsCancellationToken(p.Type)))
            .OrderBy(a => a.Parameter!.Ordinal)
            .Select(a => a.Syntax is ArgumentSyntax argument ? argument.WithNameColon(null) : null)
            .ToList();
        if (kept.Any(a => a is null)) return document;

        var run = InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, taskType.WithoutTrivia(), IdentifierName("Run")),
                invocation.ArgumentList.WithArguments(SeparatedList(kept.Select(a => a!))))
            .WithTriviaFrom(invocation);
        var changed = document.WithSyntaxRoot(root.ReplaceNode(invocation, run));
        return await FixSafety.KeepIfNoNewErrorsAsync(document, changed, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Document> UnwrapAsync(Document document, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null) return document;
        var unwrapped = InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, invocation.WithoutTrailingTrivia(), IdentifierName("Unwrap")))
            .WithTrailingTrivia(invocation.GetTrailingTrivia());
        var changed = document.WithSyntaxRoot(root.ReplaceNode(invocation, unwrapped));
        return await FixSafety.KeepIfNoNewErrorsAsync(document, changed, cancellationToken).ConfigureAwait(false);
    }
}
