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
/// was ignored becomes <c>if (!wait) throw new TimeoutException();</c>. The move is offered only
/// where it changes nothing else: the waits open the try, the try has no catch, and its finally
/// does nothing but release the semaphores those waits take. Elsewhere the wait stays, and a
/// flag set after it guards each release in the finally.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SemaphoreReleasedUnacquiredCodeFixProvider)), Shared]
public sealed class SemaphoreReleasedUnacquiredCodeFixProvider : CodeFixProvider
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

    /// <summary>
    /// The flag fix for one try: every wait in its body on a semaphore that its finally releases,
    /// each with a fresh flag and the releases to guard. Built from the try, not from one
    /// diagnostic, so that every diagnostic of the try offers the same edit and Fix All
    /// finishes in one pass.
    /// </summary>
    private sealed class FlagPlan
    {
        private FlagPlan(TryStatementSyntax tryStatement, List<FlagEntry> entries, INamedTypeSymbol? timeoutException)
        {
            Try = tryStatement;
            Entries = entries;
            TimeoutException = timeoutException;
        }

        public TryStatementSyntax Try { get; }

        public List<FlagEntry> Entries { get; }

        public INamedTypeSymbol? TimeoutException { get; }

        public static FlagPlan? Create(SemanticModel model, InvocationExpressionSyntax invocation, KnownSymbols symbols, INamedTypeSymbol semaphoreSlim, INamedTypeSymbol? timeoutException, CancellationToken cancellationToken)
        {
            if (AcquireStatement(invocation) is not (ExpressionStatementSyntax { Parent: BlockSyntax } diagnosed, _)) return null;
            if (model.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation
                || !SemaphoreFacts.IsAcquire(operation, semaphoreSlim) || operation.Instance is not { } semaphore) return null;

            // The try whose finally releases the semaphore, in the same function.
            TryStatementSyntax? tryStatement = null;
            IBlockOperation? finallyBlock = null;
            SyntaxNode child = diagnosed;
            for (var parent = diagnosed.Parent; parent is not null; child = parent, parent = parent.Parent)
            {
                if (IsFunctionBoundary(parent)) break;
                if (parent is TryStatementSyntax { Finally: { } clause } candidate && child == candidate.Block
                    && model.GetOperation(clause.Block, cancellationToken) is IBlockOperation block
                    && SemaphoreFacts.ReleasesUnconditionally(block, semaphore, semaphoreSlim))
                {
                    tryStatement = candidate;
                    finallyBlock = block;
                    break;
                }
            }

            if (tryStatement is null || finallyBlock is null || tryStatement.Parent is not (BlockSyntax or SwitchSectionSyntax)) return null;
            if (model.GetOperation(tryStatement.Block, cancellationToken) is not IBlockOperation body) return null;

            // Every wait of the try body (not in a lambda or local function) on a semaphore the finally releases.
            var waits = new List<(ExpressionStatementSyntax Statement, IInvocationOperation Wait)>();
            foreach (var descendant in body.Descendants())
            {
                if (descendant is not IInvocationOperation wait || !SemaphoreFacts.IsAcquire(wait, semaphoreSlim) || wait.Instance is not { } instance) continue;
                if (wait.Syntax.Ancestors().TakeWhile(a => a != tryStatement.Block).Any(IsFunctionBoundary)) continue;
                if (!SemaphoreFacts.ReleasesUnconditionally(finallyBlock, instance, semaphoreSlim)) continue;
                if (wait.Syntax is not InvocationExpressionSyntax waitSyntax
                    || AcquireStatement(waitSyntax) is not (ExpressionStatementSyntax { Parent: BlockSyntax } statement, _)) return null;
                if (waits.Exists(w => SemaphoreFacts.SameSemaphore(w.Wait.Instance, instance))) return null; // waited twice: count the flag how?
                waits.Add((statement, wait));
            }

            if (!waits.Exists(w => w.Statement == diagnosed)) return null;
            var member = tryStatement.Ancestors().FirstOrDefault(a => a is MemberDeclarationSyntax) ?? tryStatement;
            var used = new HashSet<string>(member.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText), System.StringComparer.Ordinal);
            var entries = new List<FlagEntry>();
            foreach (var (statement, wait) in waits)
            {
                // Every release of this semaphore in the finally is a statement of its own.
                var releases = new List<StatementSyntax>();
                foreach (var descendant in finallyBlock.Descendants())
                {
                    if (descendant is not IInvocationOperation release || !SemaphoreFacts.IsRelease(release, semaphoreSlim)
                        || !SemaphoreFacts.SameSemaphore(SemaphoreFacts.ReceiverOf(release), wait.Instance)) continue;
                    if (StatementOf(release.Syntax) is not { } releaseStatement) return null;
                    releases.Add(releaseStatement);
                }

                var check = SemaphoreFacts.CanTimeOut(wait, symbols);
                if (check && timeoutException is null) return null;
                var name = FreshName(used, wait.Instance!.Syntax);
                used.Add(name);
                entries.Add(new FlagEntry(statement, releases, name, check));
            }

            return new FlagPlan(tryStatement, entries, timeoutException);
        }

        private static bool IsFunctionBoundary(SyntaxNode node) =>
            node is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax;

        /// <summary><c>s.Release();</c>, <c>_ = s.Release();</c>, <c>s?.Release();</c>: the statement, when the release is all it does.</summary>
        private static StatementSyntax? StatementOf(SyntaxNode release)
        {
            var node = release;
            if (node.Parent is MemberBindingExpressionSyntax or MemberAccessExpressionSyntax) node = node.Parent;
            if (node.Parent is ConditionalAccessExpressionSyntax access && access.WhenNotNull == node) node = access;
            if (node.Parent is AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" } } discard && discard.Right == node) node = discard;
            return node.Parent is ExpressionStatementSyntax statement && statement.Expression == node && statement.Parent is BlockSyntax ? statement : null;
        }

        /// <summary><c>gateTaken</c> for <c>_gate</c>, numbered when the member already uses the name.</summary>
        private static string FreshName(HashSet<string> used, SyntaxNode semaphore)
        {
            var last = semaphore.DescendantTokens().LastOrDefault(t => t.IsKind(SyntaxKind.IdentifierToken)).ValueText.TrimStart('_');
            var stem = last.Length == 0 ? "semaphore" : char.ToLowerInvariant(last[0]) + last.Substring(1);
            var name = stem + "Taken";
            for (var i = 2; used.Contains(name) || SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None; i++) name = stem + "Taken" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return name;
        }
    }

    /// <summary>One semaphore of the flag fix: its wait statement, the releases to guard, the flag's name, and whether the wait gets a result check.</summary>
    private sealed record FlagEntry(ExpressionStatementSyntax Wait, List<StatementSyntax> Releases, string Name, bool Check);

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
