using AsyncGuard.Rules;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AsyncGuard.CodeFixes.Rules;

/// <summary>
/// Lets cancellation out of a catch: ends an OperationCanceledException catch with
/// <c>throw;</c> (AGD0020), filters a general catch with <c>when (ex is not
/// OperationCanceledException)</c> or, before C# 9, puts <c>catch (OperationCanceledException)
/// { throw; }</c> in front of it (AGD0020, AGD0021), and widens a TaskCanceledException catch
/// to OperationCanceledException (AGD0022).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SwallowedCancellationCodeFixProvider)), Shared]
public sealed class SwallowedCancellationCodeFixProvider : CodeFixProvider
{
    public const string RethrowKey = "AGD0020.Rethrow";

    public const string ExcludeCancellationKey = "AGD0020.ExcludeCancellation";

    public const string CatchOperationCanceledKey = "AGD0022.CatchOperationCanceled";

    private static readonly string[] NameCandidates = { "ex", "exception", "caught", "ex2", "ex3" };

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        Descriptors.AGD0020_SwallowedCancellation.Id,
        Descriptors.AGD0021_CancellationLoggedAsFailure.Id,
        Descriptors.AGD0022_TaskCanceledOnly.Id);

    public override FixAllProvider GetFixAllProvider() => FixAll.Provider;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null) return;

        foreach (var diagnostic in context.Diagnostics)
        {
            if (root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not CatchClauseSyntax clause) continue;
            if (clause.Parent is not TryStatementSyntax) continue;

            if (diagnostic.Id == Descriptors.AGD0022_TaskCanceledOnly.Id)
            {
                if (clause.Declaration is null || UsesTaskCanceledMembers(clause)) continue;
                context.RegisterCodeFix(
                    CodeAction.Create("Catch 'OperationCanceledException'", ct => ChangeTypeAsync(context.Document, clause, ct), CatchOperationCanceledKey),
                    diagnostic);
                continue;
            }

            diagnostic.Properties.TryGetValue(SwallowedCancellationAnalyzer.CatchKindProperty, out var kind);
            if (kind == SwallowedCancellationAnalyzer.CancellationCatch)
            {
                if (!CanAppendRethrow(clause)) continue;
                context.RegisterCodeFix(
                    CodeAction.Create("Rethrow with 'throw;'", ct => AppendRethrowAsync(context.Document, clause, ct), RethrowKey),
                    diagnostic);
            }
            else if (kind == SwallowedCancellationAnalyzer.GeneralCatch)
            {
                var title = SupportsNotPattern(clause)
                    ? "Let cancellation through with 'when (ex is not OperationCanceledException)'"
                    : "Let cancellation through with 'catch (OperationCanceledException) { throw; }'";
                context.RegisterCodeFix(
                    CodeAction.Create(title, ct => ExcludeCancellationAsync(context.Document, clause, ct), ExcludeCancellationKey),
                    diagnostic);
            }
        }
    }

    // ---- throw; ----

    /// <summary>Only when falling off the end is the catch's one way on: a break, continue or goto would still swallow.</summary>
    private static bool CanAppendRethrow(CatchClauseSyntax clause) =>
        !clause.Block.DescendantNodes(n => n is not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax)
            .Any(n => n is BreakStatementSyntax or ContinueStatementSyntax or GotoStatementSyntax);

    private static async Task<Document> AppendRethrowAsync(Document document, CatchClauseSyntax clause, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null) return document;
        var block = WithoutIgnoreComments(clause.Block);
        var oneLine = !block.OpenBraceToken.TrailingTrivia.Any(SyntaxKind.EndOfLineTrivia)
            && !block.Statements.Any(st => st.GetTrailingTrivia().Any(SyntaxKind.EndOfLineTrivia) || st.GetLeadingTrivia().Any(SyntaxKind.EndOfLineTrivia));
        if (oneLine)
        {
            // Keep a one-line catch on one line: "{ ...; throw; }".
            var space = TriviaList(Space);
            if (block.Statements.Count == 0)
            {
                block = block.WithOpenBraceToken(block.OpenBraceToken.WithTrailingTrivia(space))
                    .AddStatements(ThrowStatement().WithoutTrivia().WithTrailingTrivia(space))
                    .WithCloseBraceToken(block.CloseBraceToken.WithLeadingTrivia());
            }
            else
            {
                var last = block.Statements.Last();
                var rethrow = ThrowStatement(Token(SyntaxKind.ThrowKeyword), null!, Token(SyntaxKind.SemicolonToken)).WithTrailingTrivia(last.GetTrailingTrivia());
                block = block.ReplaceNode(last, last.WithTrailingTrivia(space)).AddStatements(rethrow);
            }
        }
        else
        {
            block = block.AddStatements(ThrowStatement().WithAdditionalAnnotations(Formatter.Annotation)).WithAdditionalAnnotations(Formatter.Annotation);
        }

        var changed = document.WithSyntaxRoot(root.ReplaceNode(clause.Block, block));
        return await FixSafety.KeepIfNoNewErrorsAsync(document, changed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Words of a comment that says the catch ignores the cancellation, which is false once it rethrows.</summary>
    private static readonly string[] IgnoreWords = { "ignore", "swallow", "carry on", "carrying on", "keep going", "do nothing", "nothing to do" };

    /// <summary>True for a comment that says the exception is ignored; the rethrow fix drops it (a test of the comment check uses it too).</summary>
    internal static bool SaysIgnored(SyntaxTrivia trivia) =>
        (trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) || trivia.IsKind(SyntaxKind.MultiLineCommentTrivia))
        && IgnoreWords.Any(w => trivia.ToString().IndexOf(w, System.StringComparison.OrdinalIgnoreCase) >= 0);

    /// <summary>The block without the comments that say it ignores the exception, each with its line when it stands alone.</summary>
    private static BlockSyntax WithoutIgnoreComments(BlockSyntax block)
    {
        var tokens = block.DescendantTokens().Where(t => t.LeadingTrivia.Any(SaysIgnored) || t.TrailingTrivia.Any(SaysIgnored)).ToList();
        if (tokens.Count == 0) return block;
        return block.ReplaceTokens(tokens, (original, _) => original
            .WithLeadingTrivia(Without(original.LeadingTrivia, leading: true))
            .WithTrailingTrivia(Without(original.TrailingTrivia, leading: false)));
    }

    private static SyntaxTriviaList Without(SyntaxTriviaList list, bool leading)
    {
        var kept = new List<SyntaxTrivia>();
        for (var i = 0; i < list.Count; i++)
        {
            if (!SaysIgnored(list[i]))
            {
                kept.Add(list[i]);
                continue;
            }

            // The indentation before the comment, and the line break after it when the comment had the line to itself.
            var before = kept.Count > 0 && kept[kept.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia) ? kept.Count - 1 : kept.Count;
            var ownLine = before == 0 ? leading : kept[before - 1].IsKind(SyntaxKind.EndOfLineTrivia);
            if (kept.Count > 0 && kept[kept.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia)) kept.RemoveAt(kept.Count - 1);
            if (ownLine && i + 1 < list.Count && list[i + 1].IsKind(SyntaxKind.EndOfLineTrivia)) i++;
        }

        return TriviaList(kept);
    }

    // ---- when (ex is not OperationCanceledException), or a catch clause before C# 9 ----

    private static bool SupportsNotPattern(SyntaxNode node) =>
        node.SyntaxTree.Options is CSharpParseOptions options && options.LanguageVersion >= LanguageVersion.CSharp9;

    private static async Task<Document> ExcludeCancellationAsync(Document document, CatchClauseSyntax clause, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return document;
        if (clause.Parent is not TryStatementSyntax tryStatement) return document;
        if (KnownSymbols.From(model.Compilation) is not { OperationCanceledException: { } canceled, Exception: { } exception }) return document;

        SyntaxNode newRoot;
        if (SupportsNotPattern(clause))
        {
            var name = clause.Declaration is { Identifier.ValueText: { Length: > 0 } existing }
                ? existing
                : FreeName(model, clause, cancellationToken);
            var declaration = clause.Declaration is { } old
                ? (old.Identifier.ValueText.Length > 0 ? old : old.WithIdentifier(Identifier(name)))
                : CatchDeclaration(TypeNames.Type(document, exception), Identifier(name));

            // 'not X' with a name X parses as a constant pattern; the binder makes it a type test.
            ExpressionSyntax test = IsPatternExpression(
                IdentifierName(name),
                UnaryPattern(Token(SyntaxKind.NotKeyword), ConstantPattern(TypeNames.Expression(document, canceled)))).NormalizeWhitespace();
            if (clause.Filter is { } filter)
            {
                test = BinaryExpression(
                    SyntaxKind.LogicalAndExpression,
                    test.WithTrailingTrivia(Space),
                    Token(SyntaxKind.AmpersandAmpersandToken).WithTrailingTrivia(Space),
                    Operand(filter.FilterExpression.WithoutTrivia()));
            }

            // Only the new pieces are formatted; the block keeps its layout.
            var gap = clause.Block.OpenBraceToken.GetPreviousToken().TrailingTrivia;
            CatchFilterClauseSyntax newFilter;
            if (clause.Filter is { } oldFilter)
            {
                newFilter = oldFilter.WithFilterExpression(test.WithTriviaFrom(oldFilter.FilterExpression));
            }
            else
            {
                newFilter = CatchFilterClause(test)
                    .WithWhenKeyword(Token(SyntaxKind.WhenKeyword).WithTrailingTrivia(Space))
                    .WithTrailingTrivia(gap);
                declaration = declaration.WithTrailingTrivia(Space);
            }

            if (clause.Declaration is null) declaration = declaration.NormalizeWhitespace().WithTrailingTrivia(Space);
            var newClause = clause
                .WithCatchKeyword(clause.Declaration is null ? clause.CatchKeyword.WithTrailingTrivia(Space) : clause.CatchKeyword)
                .WithDeclaration(declaration)
                .WithFilter(newFilter);
            newRoot = root.ReplaceNode(clause, newClause);
        }
        else
        {
            var rethrowClause = CatchClause(
                    CatchDeclaration(TypeNames.Type(document, canceled)),
                    null,
                    Block(ThrowStatement()))
                .WithAdditionalAnnotations(Formatter.Annotation);
            var index = tryStatement.Catches.IndexOf(clause);
            newRoot = root.ReplaceNode(tryStatement, tryStatement.WithCatches(tryStatement.Catches.Insert(index, rethrowClause)));
        }

        var changed = document.WithSyntaxRoot(newRoot);
        return await FixSafety.KeepIfNoNewErrorsAsync(document, changed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An existing filter as the right operand of <c>&amp;&amp;</c>, parenthesized unless it binds tighter.</summary>
    private static ExpressionSyntax Operand(ExpressionSyntax expression) =>
        expression is IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax
            or PrefixUnaryExpressionSyntax or ParenthesizedExpressionSyntax or IsPatternExpressionSyntax
            or LiteralExpressionSyntax or ElementAccessExpressionSyntax
            || expression.IsKind(SyntaxKind.LogicalAndExpression)
            || expression.IsKind(SyntaxKind.IsExpression)
            || expression is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.EqualsExpression or (int)SyntaxKind.NotEqualsExpression }
            ? expression
            : ParenthesizedExpression(expression);

    /// <summary>A name for the exception that nothing in scope or in the catch uses already.</summary>
    private static string FreeName(SemanticModel model, CatchClauseSyntax clause, CancellationToken cancellationToken)
    {
        var used = new HashSet<string>(clause.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
        foreach (var candidate in NameCandidates)
        {
            if (used.Contains(candidate)) continue;
            if (model.LookupSymbols(clause.Block.SpanStart, name: candidate).Any()) continue;
            return candidate;
        }

        var i = 4;
        while (used.Contains("ex" + i) || model.LookupSymbols(clause.Block.SpanStart, name: "ex" + i).Any()) i++;
        cancellationToken.ThrowIfCancellationRequested();
        return "ex" + i;
    }

    // ---- catch (OperationCanceledException) ----

    private static bool UsesTaskCanceledMembers(CatchClauseSyntax clause)
    {
        var name = clause.Declaration?.Identifier.ValueText;
        if (string.IsNullOrEmpty(name)) return false;
        return clause.DescendantNodes().OfType<MemberAccessExpressionSyntax>()
            .Any(m => m.Expression is IdentifierNameSyntax { Identifier.ValueText: var target } && target == name && m.Name.Identifier.ValueText == "Task");
    }

    private static async Task<Document> ChangeTypeAsync(Document document, CatchClauseSyntax clause, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || clause.Declaration is not { } declaration) return document;
        if (KnownSymbols.From(model.Compilation)?.OperationCanceledException is not { } canceled) return document;
        var type = TypeNames.Type(document, canceled).WithTriviaFrom(declaration.Type);
        var changed = document.WithSyntaxRoot(root.ReplaceNode(declaration.Type, type));
        return await FixSafety.KeepIfNoNewErrorsAsync(document, changed, cancellationToken).ConfigureAwait(false);
    }
}
