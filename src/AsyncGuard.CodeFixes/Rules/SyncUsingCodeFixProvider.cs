using AsyncGuard.Rules;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AsyncGuard.CodeFixes.Rules;

/// <summary>
/// Turns a <c>using</c> of an IAsyncDisposable into <c>await using</c> (AGD0031), making a
/// non-async task-returning function async when its returns can be rewritten. In a file whose
/// awaits use <c>.ConfigureAwait(false)</c>, the dispose is configured too where that keeps
/// the code's meaning: on a resource expression, or on a <c>var</c> local that is not used
/// afterwards (the configured form changes the local's type).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SyncUsingCodeFixProvider)), Shared]
public sealed class SyncUsingCodeFixProvider : CodeFixProvider
{
    public const string EquivalenceKey = "AGD0031.AwaitUsing";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.AGD0031_SyncUsingOfAsyncDisposable.Id);

    public override FixAllProvider GetFixAllProvider() => FixAll.Provider;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return;

        foreach (var diagnostic in context.Diagnostics)
        {
            var token = root.FindToken(diagnostic.Location.SourceSpan.Start);
            if (!token.IsKind(SyntaxKind.UsingKeyword)) continue;
            if (token.Parent is not (UsingStatementSyntax or LocalDeclarationStatementSyntax) || token.Parent is not StatementSyntax statement) continue;

            var function = AsyncFunction.Enclosing(statement);
            if (function is null || !AsyncFunction.CanAwaitAt(statement, function)) continue;
            if (!AsyncFunction.CanBecomeAsync(function, model, context.CancellationToken)) continue;

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Use 'await using'",
                    ct => FixAsync(context.Document, statement, diagnostic.Properties.TryGetValue(SyncUsingAnalyzer.FactoryProperty, out var factory) ? factory : null, ct),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document> FixAsync(Document document, StatementSyntax statement, string? factory, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return document;

        // using var scope = provider.CreateScope(); to await using var scope = provider.CreateAsyncScope();
        if (factory is not null)
        {
            return Rewrite(statement, model, configure: false, cancellationToken) is { } awaited && CallFactory(awaited, factory) is { } renamed
                ? await ApplyAsync(document, root, statement, renamed, cancellationToken).ConfigureAwait(false) ?? document
                : document;
        }

        if (AwaitStyle.PrefersConfigureAwaitFalse(root)
            && Rewrite(statement, model, configure: true, cancellationToken) is { } configured
            && await ApplyAsync(document, root, statement, configured, cancellationToken).ConfigureAwait(false) is { } configuredDocument)
        {
            return configuredDocument;
        }

        return await ApplyAsync(document, root, statement, Rewrite(statement, model, configure: false, cancellationToken)!, cancellationToken).ConfigureAwait(false)
            ?? document;
    }

    /// <summary>The statement as <c>await using</c>; null when <paramref name="configure"/> asks for a shape that would change the meaning.</summary>
    private static StatementSyntax? Rewrite(StatementSyntax statement, SemanticModel model, bool configure, CancellationToken cancellationToken)
    {
        var awaitKeyword = Token(SyntaxKind.AwaitKeyword).WithTrailingTrivia(Space);
        switch (statement)
        {
            case UsingStatementSyntax usingStatement:
                var result = usingStatement
                    .WithUsingKeyword(usingStatement.UsingKeyword.WithLeadingTrivia())
                    .WithAwaitKeyword(awaitKeyword.WithLeadingTrivia(usingStatement.UsingKeyword.LeadingTrivia));
                if (!configure) return result;
                if (usingStatement.Expression is { } expression)
                    return result.WithExpression(Configure(expression));
                return usingStatement.Declaration is { } declaration && ConfigureDeclaration(declaration, usingStatement.Statement, model, cancellationToken) is { } newDeclaration
                    ? result.WithDeclaration(newDeclaration)
                    : null;

            case LocalDeclarationStatementSyntax local:
                var declared = local
                    .WithUsingKeyword(local.UsingKeyword.WithLeadingTrivia())
                    .WithAwaitKeyword(awaitKeyword.WithLeadingTrivia(local.UsingKeyword.LeadingTrivia));
                if (!configure) return declared;
                return local.Parent is { } scope && ConfigureDeclaration(local.Declaration, scope, model, cancellationToken) is { } configuredDeclaration
                    ? declared.WithDeclaration(configuredDeclaration)
                    : null;

            default:
                return null;
        }
    }

    /// <summary>The statement with its resource call renamed to <paramref name="factory"/>.</summary>
    private static StatementSyntax? CallFactory(StatementSyntax statement, string factory)
    {
        var resource = statement switch
        {
            LocalDeclarationStatementSyntax local => local.Declaration.Variables.FirstOrDefault()?.Initializer?.Value,
            UsingStatementSyntax { Declaration: { } declaration } => declaration.Variables.FirstOrDefault()?.Initializer?.Value,
            UsingStatementSyntax { Expression: { } expression } => expression,
            _ => null,
        };
        if (resource is not InvocationExpressionSyntax invocation) return null;
        SimpleNameSyntax? name = invocation.Expression switch
        {
            MemberAccessExpressionSyntax member => member.Name,
            IdentifierNameSyntax identifier => identifier,
            _ => null,
        };
        if (name is not IdentifierNameSyntax) return null;
        return statement.ReplaceNode(name, IdentifierName(Identifier(factory)).WithTriviaFrom(name));
    }

    // 'var x = e.ConfigureAwait(false)' makes x a ConfiguredAsyncDisposable: only when x is never read.
    private static VariableDeclarationSyntax? ConfigureDeclaration(VariableDeclarationSyntax declaration, SyntaxNode scope, SemanticModel model, CancellationToken cancellationToken)
    {
        if (!declaration.Type.IsVar || declaration.Variables.Count != 1) return null;
        var variable = declaration.Variables[0];
        if (variable.Initializer is null || model.GetDeclaredSymbol(variable, cancellationToken) is not { } local) return null;
        var used = scope.DescendantNodes().OfType<IdentifierNameSyntax>()
            .Any(n => n.Identifier.ValueText == variable.Identifier.ValueText
                && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(n, cancellationToken).Symbol, local));
        if (used) return null;
        return declaration.WithVariables(SingletonSeparatedList(
            variable.WithInitializer(variable.Initializer.WithValue(Configure(variable.Initializer.Value)))));
    }

    private static ExpressionSyntax Configure(ExpressionSyntax expression)
    {
        var target = expression is IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax
            or ObjectCreationExpressionSyntax or ElementAccessExpressionSyntax or ParenthesizedExpressionSyntax
            ? expression.WithoutTrivia()
            : ParenthesizedExpression(expression.WithoutTrivia());
        return InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, target, IdentifierName("ConfigureAwait")),
                ArgumentList(SingletonSeparatedList(Argument(LiteralExpression(SyntaxKind.FalseLiteralExpression)))))
            .WithTriviaFrom(expression);
    }

    /// <summary>The document with the statement replaced and its function made async; null when that adds compiler errors.</summary>
    private static async Task<Document?> ApplyAsync(Document document, SyntaxNode root, StatementSyntax statement, StatementSyntax replacement, CancellationToken cancellationToken)
    {
        var mark = new SyntaxAnnotation();
        var edited = document.WithSyntaxRoot(root.ReplaceNode(statement, replacement.WithAdditionalAnnotations(mark)));
        var newRoot = await edited.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await edited.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (newRoot is null || model is null) return null;

        // The returns are rewritten on the edited tree, whose semantic model still binds them.
        var newStatement = newRoot.GetAnnotatedNodes(mark).First();
        var function = AsyncFunction.Enclosing(newStatement);
        if (function is null) return null;
        if (!AsyncFunction.IsAsync(function) && function is not GlobalStatementSyntax)
        {
            var asyncFunction = AsyncFunction.MakeAsync(function, AsyncFunction.ReturnType(function, model, cancellationToken), model);
            if (asyncFunction is null) return null;
            edited = edited.WithSyntaxRoot(newRoot.ReplaceNode(function, asyncFunction));
        }

        var kept = await FixSafety.KeepIfNoNewErrorsAsync(document, edited, cancellationToken).ConfigureAwait(false);
        return kept == document ? null : kept;
    }

}
