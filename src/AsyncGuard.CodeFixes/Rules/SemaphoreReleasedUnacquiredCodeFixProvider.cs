using AsyncGuard.Rules;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AsyncGuard.CodeFixes.Rules;

/// <summary>
/// Moves a SemaphoreSlim wait out of the try whose finally releases it, to just before the try
/// (AGD0025), together with the other waits that open the same try; a timed wait whose result
/// was ignored becomes <c>if (!wait) throw new TimeoutException();</c>. The move is offered only
/// where it changes nothing else: the waits open the try, the try has no catch, and its finally
/// does nothing but release the semaphores those waits take. Elsewhere the wait stays, and a
/// flag set after it guards each release in the finally.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SemaphoreReleasedUnacquiredCodeFixProvider)), Shared]
public sealed partial class SemaphoreReleasedUnacquiredCodeFixProvider : CodeFixProvider
{
    public const string MoveEquivalenceKey = "AGD0025.AcquireBeforeTry";
    public const string CheckEquivalenceKey = "AGD0025.CheckTimeout";
    public const string FlagEquivalenceKey = "AGD0025.GuardReleaseWithFlag";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.AGD0025_SemaphoreReleasedUnacquired.Id);

    public override FixAllProvider GetFixAllProvider() => FixAll.Provider;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null || KnownSymbols.From(model.Compilation) is not { SemaphoreSlim: { } semaphoreSlim } symbols) return;
        var timeoutException = symbols.Lookup("System.TimeoutException");

        foreach (var diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax invocation) continue;
            if (!diagnostic.Properties.TryGetValue(SemaphoreReleasedUnacquiredAnalyzer.PlaceProperty, out var place)) continue;

            if (place == SemaphoreReleasedUnacquiredAnalyzer.PlaceBeforeTry)
            {
                if (timeoutException is null || AcquireStatement(invocation) is not (ExpressionStatementSyntax statement, _)) continue;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Check the result of the wait",
                        ct => CheckAsync(context.Document, statement, timeoutException, ct),
                        CheckEquivalenceKey),
                    diagnostic);
            }
            else if (place == SemaphoreReleasedUnacquiredAnalyzer.PlaceInsideTry
                && MovePlan.Create(model, invocation, symbols, semaphoreSlim, timeoutException, context.CancellationToken) is { } plan)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        plan.Checks.Count > 0 ? "Acquire before the try and check the result" : "Acquire before the try",
                        ct => MoveAsync(context.Document, plan, ct),
                        MoveEquivalenceKey),
                    diagnostic);
            }
            else if (place == SemaphoreReleasedUnacquiredAnalyzer.PlaceInsideTry
                && FlagPlan.Create(model, invocation, symbols, semaphoreSlim, timeoutException, context.CancellationToken) is { } flag)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Release only when acquired",
                        ct => GuardAsync(context.Document, flag, ct),
                        FlagEquivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary>
    /// Where the wait cannot move (a catch, other clean-up in the finally, code before it): a flag
    /// declared before the try, set right after the wait, guards each release in the finally.
    /// </summary>
    private static async Task<Document> GuardAsync(Document document, FlagPlan plan, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var generator = editor.Generator;

        // Inner edits first, then the try itself.
        foreach (var entry in plan.Entries)
        {
            foreach (var release in entry.Releases)
            {
                editor.ReplaceNode(release, (node, _) =>
                    IfStatement(IdentifierName(entry.Name), ((StatementSyntax)node).WithoutLeadingTrivia())
                        .WithLeadingTrivia(node.GetLeadingTrivia())
                        .WithAdditionalAnnotations(Formatter.Annotation));
            }

            var set = ExpressionStatement(AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, IdentifierName(entry.Name), LiteralExpression(SyntaxKind.TrueLiteralExpression)))
                .WithAdditionalAnnotations(Formatter.Annotation);
            editor.InsertAfter(entry.Wait, set);
            if (entry.Check && plan.TimeoutException is { } timeout)
            {
                var checkedWait = Checked(entry.Wait, generator, timeout);
                if (!checkedWait.GetTrailingTrivia().Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia)))
                    checkedWait = checkedWait.WithTrailingTrivia(checkedWait.GetTrailingTrivia().Add(LineEnd(plan.Try.SyntaxTree.GetRoot(cancellationToken))));
                editor.ReplaceNode(entry.Wait, checkedWait);
            }
        }

        var tryTrivia = plan.Try.GetLeadingTrivia();
        var declarations = plan.Entries.Select((entry, i) => (StatementSyntax)LocalDeclarationStatement(
                VariableDeclaration(IdentifierName("var"))
                    .AddVariables(VariableDeclarator(entry.Name).WithInitializer(EqualsValueClause(LiteralExpression(SyntaxKind.FalseLiteralExpression)))))
            .WithLeadingTrivia(i == 0 ? tryTrivia : TriviaList())
            .WithAdditionalAnnotations(Formatter.Annotation)).ToList();
        var indentation = TriviaList(tryTrivia.Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse());
        editor.InsertBefore(plan.Try, declarations);
        editor.ReplaceNode(plan.Try, (node, _) => node.WithLeadingTrivia(indentation));

        var changed = editor.GetChangedDocument();
        return await FixSafety.KeepIfNoNewErrorsAsync(document, changed, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Document> CheckAsync(Document document, ExpressionStatementSyntax statement, INamedTypeSymbol timeoutException, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null) return document;
        var generator = SyntaxGenerator.GetGenerator(document);
        var changed = document.WithSyntaxRoot(root.ReplaceNode(statement, Checked(statement, generator, timeoutException)));
        return await FixSafety.KeepIfNoNewErrorsAsync(document, changed, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Document> MoveAsync(Document document, MovePlan plan, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null) return document;
        var generator = SyntaxGenerator.GetGenerator(document);
        var tryStatement = plan.Try;
        var moved = new List<StatementSyntax>();
        for (var i = 0; i < plan.Count; i++)
        {
            var statement = tryStatement.Block.Statements[i];
            var result = statement is ExpressionStatementSyntax expression && plan.Checks.Contains(i) && plan.TimeoutException is { } timeout
                ? Checked(expression, generator, timeout)
                : statement;
            // 'try { s.Wait(); ... }' on one line: the moved wait still ends its own line.
            if (!result.GetTrailingTrivia().Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia)))
                result = result.WithTrailingTrivia(result.GetTrailingTrivia().Add(LineEnd(root)));
            moved.Add(result.WithAdditionalAnnotations(Formatter.Annotation));
        }

        // A comment above the try describes the guarded region: it goes above the first wait.
        var tryTrivia = tryStatement.GetLeadingTrivia();
        moved[0] = moved[0].WithLeadingTrivia(tryTrivia.AddRange(moved[0].GetLeadingTrivia().Where(t => !t.IsKind(SyntaxKind.WhitespaceTrivia))));
        var indentation = tryTrivia.Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia));
        var remaining = tryStatement.Block.Statements.Skip(plan.Count).ToList();
        if (remaining.Count > 0) remaining[0] = remaining[0].WithLeadingTrivia(WithoutBlankLines(remaining[0].GetLeadingTrivia()));
        var newTry = tryStatement
            .WithBlock(tryStatement.Block.WithStatements(List(remaining)))
            .WithLeadingTrivia(TriviaList(indentation.Reverse()));

        var parent = tryStatement.Parent!;
        SyntaxNode newParent = parent switch
        {
            BlockSyntax block => block.WithStatements(Splice(block.Statements, tryStatement, moved, newTry)),
            SwitchSectionSyntax section => section.WithStatements(Splice(section.Statements, tryStatement, moved, newTry)),
            _ => parent,
        };
        if (newParent == parent) return document;
        var changed = document.WithSyntaxRoot(root.ReplaceNode(parent, newParent));
        return await FixSafety.KeepIfNoNewErrorsAsync(document, changed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The line ending the document already uses.</summary>
    private static SyntaxTrivia LineEnd(SyntaxNode root)
    {
        foreach (var trivia in root.DescendantTrivia())
        {
            if (trivia.IsKind(SyntaxKind.EndOfLineTrivia)) return trivia;
        }

        return ElasticCarriageReturnLineFeed;
    }

    /// <summary>The blank lines that separated the moved waits from the rest of the try block go with them.</summary>
    private static SyntaxTriviaList WithoutBlankLines(SyntaxTriviaList trivia)
    {
        var firstContent = 0;
        while (firstContent < trivia.Count && (trivia[firstContent].IsKind(SyntaxKind.WhitespaceTrivia) || trivia[firstContent].IsKind(SyntaxKind.EndOfLineTrivia))) firstContent++;
        var lastLineEnd = -1;
        for (var i = 0; i < firstContent; i++)
        {
            if (trivia[i].IsKind(SyntaxKind.EndOfLineTrivia)) lastLineEnd = i;
        }

        return lastLineEnd < 0 ? trivia : TriviaList(trivia.Skip(lastLineEnd + 1));
    }

    private static SyntaxList<StatementSyntax> Splice(SyntaxList<StatementSyntax> statements, StatementSyntax old, List<StatementSyntax> before, StatementSyntax replacement)
    {
        var index = statements.IndexOf(old);
        var list = statements.RemoveAt(index).Insert(index, replacement);
        return list.InsertRange(index, before);
    }

    /// <summary><c>s.Wait(t);</c> becomes <c>if (!s.Wait(t)) throw new TimeoutException();</c>, its trivia kept.</summary>
    private static StatementSyntax Checked(ExpressionStatementSyntax statement, SyntaxGenerator generator, INamedTypeSymbol timeoutException)
    {
        var type = ((TypeSyntax)generator.TypeExpression(timeoutException)).WithAdditionalAnnotations(Simplifier.Annotation);
        var condition = PrefixUnaryExpression(SyntaxKind.LogicalNotExpression, statement.Expression.WithoutTrivia());
        var throwStatement = ThrowStatement(ObjectCreationExpression(type).WithArgumentList(ArgumentList()));
        return IfStatement(condition, throwStatement)
            .WithLeadingTrivia(statement.GetLeadingTrivia())
            .WithTrailingTrivia(statement.GetTrailingTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary>
    /// The statement that holds the wait: <c>[await] s.Wait…(…)[.ConfigureAwait(…)];</c>, or
    /// <c>if (![await] s.Wait…(…)) jump;</c> without else whose body leaves the code that follows.
    /// </summary>
    internal static (StatementSyntax Statement, ExpressionSyntax Wait)? AcquireStatement(InvocationExpressionSyntax invocation)
    {
        ExpressionSyntax current = invocation;
        if (current.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } access
            && access.Expression == current && access.Parent is InvocationExpressionSyntax configure)
        {
            current = configure;
        }

        if (current.Parent is AwaitExpressionSyntax awaited) current = awaited;
        switch (current.Parent)
        {
            case ExpressionStatementSyntax statement:
                return (statement, current);
            case PrefixUnaryExpressionSyntax negation when negation.IsKind(SyntaxKind.LogicalNotExpression)
                && negation.Parent is IfStatementSyntax { Else: null } guard && guard.Condition == negation && Leaves(guard.Statement):
                return (guard, current);
            default:
                return null;
        }
    }

    private static bool Leaves(StatementSyntax statement) => statement switch
    {
        ReturnStatementSyntax or ThrowStatementSyntax or BreakStatementSyntax or ContinueStatementSyntax => true,
        YieldStatementSyntax yield => yield.IsKind(SyntaxKind.YieldBreakStatement),
        BlockSyntax { Statements: { Count: > 0 } statements } => Leaves(statements.Last()),
        _ => false,
    };
}
