using AsyncGuard.Rules;
using Microsoft.CodeAnalysis.Formatting;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AsyncGuard.CodeFixes.Rules;

/// <summary>
/// Adds <c>TaskCreationOptions.RunContinuationsAsynchronously</c> to a TaskCompletionSource
/// creation (AGD0030): as the only argument, after the state object (the (state, options)
/// constructor), or or-ed into the options already given.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TaskCompletionSourceCodeFixProvider)), Shared]
public sealed class TaskCompletionSourceCodeFixProvider : CodeFixProvider
{
    public const string EquivalenceKey = "AGD0030.RunContinuationsAsynchronously";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.AGD0030_TaskCompletionSource.Id);

    public override FixAllProvider GetFixAllProvider() => FixAll.Provider;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null) return;

        foreach (var diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not BaseObjectCreationExpressionSyntax creation) continue;
            if (!diagnostic.Properties.TryGetValue(TaskCompletionSourceAnalyzer.ShapeProperty, out var shape) || shape is null) continue;

            // Named arguments would need the parameter's name; such code is rare enough to leave alone.
            if (creation.ArgumentList is { } list && list.Arguments.Any(a => a.NameColon is not null)) continue;

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Pass 'TaskCreationOptions.RunContinuationsAsynchronously'",
                    ct => FixAsync(context.Document, creation, shape, ct),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document> FixAsync(Document document, BaseObjectCreationExpressionSyntax creation, string shape, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || KnownSymbols.From(model.Compilation)?.TaskCreationOptions is not { } options) return document;

        var flag = MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, TypeNames.Expression(document, options), IdentifierName("RunContinuationsAsynchronously"));
        var argumentList = creation.ArgumentList ?? ArgumentList();
        switch (shape)
        {
            case TaskCompletionSourceAnalyzer.ShapeNoArguments:
            case TaskCompletionSourceAnalyzer.ShapeState:
                argumentList = argumentList.AddArguments(Argument(flag));
                break;
            case TaskCompletionSourceAnalyzer.ShapeOptions:
                var index = OptionsArgumentIndex(argumentList, options, model, cancellationToken);
                if (index < 0) return document;
                var existing = argumentList.Arguments[index];
                var value = model.GetConstantValue(existing.Expression, cancellationToken);
                ExpressionSyntax combined = value is { HasValue: true, Value: { } v } && System.Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture) == 0
                    ? flag // TaskCreationOptions.None or default: replace it
                    : BinaryExpression(SyntaxKind.BitwiseOrExpression, Operand(existing.Expression.WithoutTrivia()), flag);
                argumentList = argumentList.ReplaceNode(existing, existing.WithExpression(combined.WithTriviaFrom(existing.Expression)));
                break;
            default:
                return document;
        }

        var newCreation = creation.ArgumentList is null
            ? creation.WithArgumentList(argumentList).WithAdditionalAnnotations(Formatter.Annotation)
            : creation.WithArgumentList(argumentList);
        if (creation is ObjectCreationExpressionSyntax { ArgumentList: null } explicitCreation)
        {
            // 'new TaskCompletionSource<int> { }': the argument list goes after the type.
            newCreation = explicitCreation
                .WithType(explicitCreation.Type.WithoutTrailingTrivia())
                .WithArgumentList(argumentList.WithTrailingTrivia(explicitCreation.Type.GetTrailingTrivia()));
        }

        var changed = document.WithSyntaxRoot(root.ReplaceNode(creation, newCreation));
        return await FixSafety.KeepIfNoNewErrorsAsync(document, changed, cancellationToken).ConfigureAwait(false);
    }

    private static int OptionsArgumentIndex(ArgumentListSyntax list, INamedTypeSymbol options, SemanticModel model, CancellationToken cancellationToken)
    {
        for (var i = 0; i < list.Arguments.Count; i++)
        {
            if (model.GetTypeInfo(list.Arguments[i].Expression, cancellationToken).Type is { } type && SymbolEqualityComparer.Default.Equals(type, options)) return i;
        }

        return -1;
    }

    // '|' binds looser than '&' and '^' and tighter than what else could sit there.
    private static ExpressionSyntax Operand(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ParenthesizedExpressionSyntax
            or CastExpressionSyntax or ElementAccessExpressionSyntax or LiteralExpressionSyntax or DefaultExpressionSyntax => expression,
        BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.BitwiseOrExpression) || binary.IsKind(SyntaxKind.BitwiseAndExpression)
            || binary.IsKind(SyntaxKind.ExclusiveOrExpression) => expression,
        _ => ParenthesizedExpression(expression),
    };
}
