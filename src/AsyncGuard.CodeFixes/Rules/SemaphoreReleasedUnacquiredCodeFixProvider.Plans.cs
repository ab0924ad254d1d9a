using AsyncGuard.Rules;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AsyncGuard.CodeFixes.Rules;

/// <summary>The plans of the AGD0025 fixes: which statements move, which releases a flag guards.</summary>
public sealed partial class SemaphoreReleasedUnacquiredCodeFixProvider
{
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
