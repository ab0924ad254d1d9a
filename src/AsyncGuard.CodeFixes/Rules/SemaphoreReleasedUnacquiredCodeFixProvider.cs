using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AsyncGuard.CodeFixes.Common;
using AsyncGuard.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AsyncGuard.CodeFixes.Rules;

/// <summary>
/// Moves a SemaphoreSlim wait out of the try whose finally releases it, to just before the try
/// (AGD0025), together with the other waits that open the same try; a timed wait whose result
/// was ignored becomes <c>if (!wait) throw new TimeoutException();</c>. Offered only where the
/// move changes nothing else: the waits open the try, the try has no catch, and its finally
/// does nothing but release the semaphores those waits take.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SemaphoreReleasedUnacquiredCodeFixProvider)), Shared]
public sealed class SemaphoreReleasedUnacquiredCodeFixProvider : CodeFixProvider
{
    public const string MoveEquivalenceKey = "AGD0025.AcquireBeforeTry";
    public const string CheckEquivalenceKey = "AGD0025.CheckTimeout";

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
        }
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

    /// <summary>What the move does: how many statements open the try, and which of them get a result check.</summary>
    private sealed class MovePlan
    {
        private MovePlan(TryStatementSyntax tryStatement, int count, HashSet<int> checks, INamedTypeSymbol? timeoutException)
        {
            Try = tryStatement;
            Count = count;
            Checks = checks;
            TimeoutException = timeoutException;
        }

        public TryStatementSyntax Try { get; }

        public int Count { get; }

        public HashSet<int> Checks { get; }

        public INamedTypeSymbol? TimeoutException { get; }

        public static MovePlan? Create(SemanticModel model, InvocationExpressionSyntax invocation, KnownSymbols symbols, INamedTypeSymbol semaphoreSlim, INamedTypeSymbol? timeoutException, CancellationToken cancellationToken)
        {
            if (AcquireStatement(invocation) is not ({ Parent: BlockSyntax { Parent: TryStatementSyntax tryStatement } block } diagnosed, _)) return null;
            if (tryStatement.Block != block || tryStatement.Catches.Count > 0 || tryStatement.Finally is null) return null;
            if (tryStatement.Parent is not (BlockSyntax or SwitchSectionSyntax)) return null;

            // The waits that open the try move together, in their order.
            var waits = new List<(IInvocationOperation Wait, bool Dropped)>();
            foreach (var statement in block.Statements)
            {
                if (Wait(statement, model, semaphoreSlim, cancellationToken) is not { } wait) break;
                waits.Add(wait);
            }

            var index = block.Statements.IndexOf(diagnosed);
            if (index < 0 || index >= waits.Count) return null;

            // The finally must do nothing but release what those waits take: any other clean-up
            // would stop running when a wait throws.
            if (model.GetOperation(tryStatement.Finally.Block, cancellationToken) is not IBlockOperation finallyBlock || finallyBlock.Operations.IsEmpty) return null;
            foreach (var operation in finallyBlock.Operations)
            {
                if (Release(operation, semaphoreSlim) is not { } release) return null;
                var receiver = SemaphoreFacts.ReceiverOf(release);
                if (!waits.Exists(w => SemaphoreFacts.SameSemaphore(w.Wait.Instance, receiver))) return null;
            }

            var checks = new HashSet<int>();
            for (var i = 0; i < waits.Count; i++)
            {
                var (wait, dropped) = waits[i];
                if (!dropped || !SemaphoreFacts.CanTimeOut(wait, symbols)) continue;
                if (!SemaphoreFacts.ReleasesUnconditionally(finallyBlock, wait.Instance!, semaphoreSlim)) continue;
                if (timeoutException is null) return null;
                checks.Add(i);
            }

            return new MovePlan(tryStatement, waits.Count, checks, timeoutException);
        }

        private static (IInvocationOperation Wait, bool Dropped)? Wait(StatementSyntax statement, SemanticModel model, INamedTypeSymbol semaphoreSlim, CancellationToken cancellationToken)
        {
            var invocation = statement switch
            {
                ExpressionStatementSyntax expression => Core(expression.Expression),
                IfStatementSyntax { Condition: PrefixUnaryExpressionSyntax negation } when negation.IsKind(SyntaxKind.LogicalNotExpression) => Core(negation.Operand),
                _ => null,
            };
            if (invocation is null || AcquireStatement(invocation) is not { } found || found.Statement != statement) return null;
            if (model.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation || !SemaphoreFacts.IsAcquire(operation, semaphoreSlim)) return null;
            return (operation, statement is ExpressionStatementSyntax);
        }

        /// <summary>The wait inside <c>await s.WaitAsync(…).ConfigureAwait(…)</c>.</summary>
        private static InvocationExpressionSyntax? Core(ExpressionSyntax expression)
        {
            if (expression is AwaitExpressionSyntax awaited) expression = awaited.Expression;
            if (expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait", Expression: InvocationExpressionSyntax inner } })
                expression = inner;
            return expression as InvocationExpressionSyntax;
        }

        private static IInvocationOperation? Release(IOperation statement, INamedTypeSymbol semaphoreSlim)
        {
            if (statement is not IExpressionStatementOperation { Operation: var value }) return null;
            if (value is ISimpleAssignmentOperation { Target: IDiscardOperation, Value: var assigned }) value = assigned;
            while (value is IConversionOperation { Operand: var operand }) value = operand;
            if (value is IConditionalAccessOperation { WhenNotNull: var whenNotNull }) value = whenNotNull;
            return value is IInvocationOperation invocation && SemaphoreFacts.IsRelease(invocation, semaphoreSlim) ? invocation : null;
        }
    }
}
