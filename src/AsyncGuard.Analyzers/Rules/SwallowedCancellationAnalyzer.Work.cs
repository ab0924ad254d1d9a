using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace AsyncGuard.Rules;

/// <summary>AGD0020/AGD0021, continued: what counts as cancellable work, and whether work goes on after a catch (read from the control-flow graph).</summary>
public sealed partial class SwallowedCancellationAnalyzer
{
    private sealed partial class TryAnalysis
    {
        // ---- Cancellable code and work ----

        /// <summary>RULES.md's "cancellable code": awaits, passes a token, or calls ThrowIfCancellationRequested.</summary>
        /// <summary>
        /// A general catch is about cancellation only where something can cancel this code: the
        /// try passes or checks a token, or a token is in scope. A method with no token at all
        /// cannot be cancelled; what its catch sees are failures (an HttpClient timeout, say).
        /// </summary>
        private bool HasCancellationSource(ITryOperation tryOperation)
        {
            if (DescendantsInFunction(tryOperation.Body).Any(o => Classify(o) is Step.TokenCall or Step.Check)) return true;
            if (AwaitsOnlyCallsGivenNoToken(tryOperation.Body)) return false;
            return tryOperation.SemanticModel is { } model && AsyncContext.FindTokenInScope(model, tryOperation.Syntax, types.Symbols) is not null;
        }

        /// <summary>
        /// Every await of the try awaits a call whose token parameter gets <c>None</c> or
        /// <c>default</c> (jellyfin's <c>await saver.SaveAsync(item, CancellationToken.None)</c>): the
        /// calls cannot be cancelled by a token in scope, so a failure is what the catch sees.
        /// </summary>
        private bool AwaitsOnlyCallsGivenNoToken(IOperation body) =>
            EveryAwait(body, awaited => awaited is IInvocationOperation call
                && call.Arguments.Any(a => a.Parameter is { } p && types.Symbols.IsCancellationToken(p.Type)
                    && (a.ArgumentKind == ArgumentKind.DefaultValue || TokenFacts.IsNoneToken(a.Value, types.Symbols))));

        /// <summary>
        /// The try's own code (not its lambdas) awaits at least once, and every await is of something
        /// that <paramref name="fits"/> (under <c>ConfigureAwait</c>); an <c>await foreach</c> or
        /// <c>await using</c> never fits.
        /// </summary>
        private static bool EveryAwait(IOperation body, System.Func<IOperation, bool> fits)
        {
            var any = false;
            foreach (var operation in DescendantsInFunction(body))
            {
                switch (operation)
                {
                    case IForEachLoopOperation { IsAsynchronous: true }:
                    case IUsingOperation { IsAsynchronous: true }:
                    case IUsingDeclarationOperation { IsAsynchronous: true }:
                        return false;
                    case IAwaitOperation awaitOperation:
                        if (!fits(TaskFacts.StripConfigureAwait(awaitOperation.Operation))) return false;
                        any = true;
                        break;
                }
            }

            return any;
        }

        private bool IsCancellable(IOperation body)
        {
            foreach (var operation in DescendantsInFunction(body))
            {
                if (Classify(operation) != Step.None) return true;
                if (operation is IForEachLoopOperation { IsAsynchronous: true }
                    or IUsingOperation { IsAsynchronous: true }
                    or IUsingDeclarationOperation { IsAsynchronous: true }) return true;
            }

            return false;
        }

        private enum Step
        {
            None,
            Work,
            TokenCall,
            Check,
        }

        /// <summary>What one operation (not its children) does about cancellation.</summary>
        private Step Classify(IOperation operation)
        {
            switch (operation)
            {
                case IAwaitOperation:
                    return Step.Work;
                case IInvocationOperation invocation:
                    if (invocation.TargetMethod.Name == "ThrowIfCancellationRequested" && types.Symbols.IsTokenLike(invocation.TargetMethod.ContainingType)) return Step.Check;
                    return TokenFacts.PassesToken(invocation.Arguments, types.Symbols) || AdvancesTokenGivenAwaitForEach(invocation) ? Step.TokenCall : Step.None;
                case IObjectCreationOperation creation:
                    return TokenFacts.PassesToken(creation.Arguments, types.Symbols) ? Step.TokenCall : Step.None;
                default:
                    return Step.None;
            }
        }

        /// <summary>
        /// The step of an <c>await foreach</c> (its implicit <c>MoveNextAsync</c>, in the graph) over a
        /// sequence given a token (<c>reader.ReadAllAsync(token)</c>, <c>.WithCancellation(token)</c>):
        /// it throws once the token is cancelled, like a call given the token.
        /// </summary>
        private bool AdvancesTokenGivenAwaitForEach(IInvocationOperation invocation)
        {
            if (!invocation.IsImplicit || invocation.TargetMethod.Name != "MoveNextAsync") return false;
            if (invocation.Syntax.AncestorsAndSelf().OfType<CommonForEachStatementSyntax>().FirstOrDefault() is not { AwaitKeyword.RawKind: not 0 } loop) return false;
            if (context.Operation.SemanticModel?.GetOperation(loop, context.CancellationToken) is not IForEachLoopOperation { Collection: var collection }) return false;

            // reader.ReadAllAsync(token).ConfigureAwait(false): the sequence under the configuration.
            return TaskFacts.StripConfigureAwait(collection) is IInvocationOperation source && TokenFacts.PassesToken(source.Arguments, types.Symbols);
        }

        /// <summary>The tokens (by the parameter, local, field or source they come from) passed in <paramref name="body"/>.</summary>
        private HashSet<ISymbol> TokensPassed(IOperation body)
        {
            var result = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var operation in DescendantsInFunction(body))
            {
                if (operation is IArgumentOperation { Parameter: { } parameter } argument
                    && types.Symbols.IsCancellationToken(parameter.Type)
                    && TokenFacts.SourceSymbol(argument.Value) is { } symbol) result.Add(symbol);
            }

            return result;
        }

        private static IEnumerable<IOperation> DescendantsInFunction(IOperation root)
        {
            var stack = new Stack<IOperation>();
            stack.Push(root);
            while (stack.Count > 0)
            {
                var current = stack.Pop();
                yield return current;
                foreach (var child in current.ChildOperations.Reverse())
                {
                    if (child is IAnonymousFunctionOperation or ILocalFunctionOperation or IFlowAnonymousFunctionOperation) continue;
                    stack.Push(child);
                }
            }
        }

        // ---- Does the code go on working after the catch? ----

        /// <summary>What a cancellation does in a catch: whether work goes on after it, and whether it is logged.</summary>
        private sealed record HandlerFlow(bool Swallows, bool Logs);

        /// <summary>
        /// Whether anything could run after the catch completes: work or a check in the handler,
        /// a loop around the try, a goto, or work after the try in the same function. When none
        /// of these holds the catch cannot swallow, and the control-flow graph is not needed.
        /// </summary>
        private bool CouldKeepWorking(ITryOperation tryOperation, ICatchClauseOperation clause)
        {
            if (DescendantsInFunction(clause.Handler).Any(o => Classify(o) != Step.None || o is IBranchOperation { BranchKind: BranchKind.GoTo })) return true;
            var function = EnclosingFunction(tryOperation);
            for (var parent = tryOperation.Parent; parent is not null && parent != function; parent = parent.Parent)
            {
                if (parent is ILoopOperation) return true;
            }

            var end = tryOperation.Syntax.Span.End;
            return DescendantsInFunction(function).Any(o =>
                (o.Syntax.SpanStart >= end && Classify(o) != Step.None)
                || o is IBranchOperation { BranchKind: BranchKind.GoTo });
        }

        /// <summary>The flow of a cancellation through the catch; null when the graph cannot tell.</summary>
        private HandlerFlow? Flow(ITryOperation tryOperation, ICatchClauseOperation clause, ITypeSymbol assumed)
        {
            var function = EnclosingFunction(tryOperation);
            var graph = GraphOf(function);
            if (graph is null) return null;
            var regions = RegionMap(function, graph);
            if (regions is null || !regions.TryGetValue(clause, out var region)) return null;

            var handler = region.Kind == ControlFlowRegionKind.FilterAndHandler
                ? region.NestedRegions.FirstOrDefault(r => r.Kind == ControlFlowRegionKind.Catch)
                : region;
            if (handler is null) return null;
            var local = Local(clause);

            // Walk the handler as a cancellation sees it: tests of the exception and the token are decided.
            var exits = new List<BasicBlock>();
            var completes = false;
            var returns = false;
            var throws = false;
            var bodyWorks = false;
            var logs = false;
            var seen = new HashSet<int>();
            var queue = new Queue<BasicBlock>();
            queue.Enqueue(graph.Blocks[handler.FirstBlockOrdinal]);
            while (queue.Count > 0)
            {
                var block = queue.Dequeue();
                if (!seen.Add(block.Ordinal)) continue;

                var stopped = false;
                foreach (var step in BlockSteps(block))
                {
                    if (step == Step.Check) { stopped = true; break; }
                    if (step is Step.Work or Step.TokenCall) bodyWorks = true;
                }

                if (!logs && BlockRoots(block).Any(r => DescendantsInFunction(r).OfType<IInvocationOperation>().Any(IsLoggingCall))) logs = true;
                if (stopped) continue;
                if (block.FallThroughSuccessor?.Semantics is ControlFlowBranchSemantics.Throw or ControlFlowBranchSemantics.Rethrow) throws = true;
                foreach (var (next, semantics) in Successors(block, local, assumed))
                {
                    if (next.Ordinal >= handler.FirstBlockOrdinal && next.Ordinal <= handler.LastBlockOrdinal)
                    {
                        queue.Enqueue(next);
                    }
                    else if (semantics == ControlFlowBranchSemantics.Regular)
                    {
                        completes = true;
                        if (next.Kind != BasicBlockKind.Exit) exits.Add(next);
                    }
                    else if (semantics == ControlFlowBranchSemantics.Return)
                    {
                        returns = true;
                    }
                }
            }

            // 'return value;' leaves like 'return;': after work in the catch, both swallow. Not a catch
            // that leaves on every path and throws on some: its work decides whether the failure stands.
            // (A 'return;' is a regular branch to the exit block: it completes, with no exit to follow.)
            var decides = throws && exits.Count == 0;
            var swallows = !decides && ((completes && (bodyWorks || WorkReachable(exits, assumed, region.EnclosingRegion))) || (returns && bodyWorks));
            return new HandlerFlow(swallows, logs);
        }

        /// <summary>
        /// Is awaited or token-taking work reachable from <paramref name="starts"/> before the token
        /// is checked? <paramref name="tryAndCatch"/> is the region of the try being analyzed.
        /// </summary>
        private bool WorkReachable(List<BasicBlock> starts, ITypeSymbol assumed, ControlFlowRegion? tryAndCatch)
        {
            var seen = new HashSet<int>();
            var queue = new Queue<BasicBlock>(starts);
            while (queue.Count > 0)
            {
                var block = queue.Dequeue();
                if (!seen.Add(block.Ordinal)) continue;
                if (block.Kind == BasicBlockKind.Exit) continue;

                var stopped = false;
                foreach (var step in BlockSteps(block))
                {
                    // A check, or a call given the (cancelled) token, throws again: out of the function,
                    // or into a catch around this try, which is judged on its own. Inside another try
                    // (this one on the next round, a later one) it throws into a catch that may go on.
                    if (step is Step.Check or Step.TokenCall && !ThrowsIntoAnotherCatch(block, tryAndCatch)) { stopped = true; break; }
                    if (step is Step.Work or Step.TokenCall or Step.Check) return true;
                }

                if (stopped) continue;
                foreach (var (next, _) in Successors(block, null, assumed)) queue.Enqueue(next);
            }

            return false;
        }

        /// <summary>The blocks control may go to next, when the exception is a cancellation and the token is cancelled.</summary>
        private IEnumerable<(BasicBlock Block, ControlFlowBranchSemantics Semantics)> Successors(BasicBlock block, ILocalSymbol? local, ITypeSymbol assumed)
        {
            var fallThrough = block.FallThroughSuccessor;
            var conditional = block.ConditionalSuccessor;
            if (conditional is not null && block.BranchValue is { } condition)
            {
                var truth = Evaluate(condition, assumed, local);
                if (truth != Truth.Unknown)
                {
                    var jumps = (truth == Truth.True) == (block.ConditionKind == ControlFlowConditionKind.WhenTrue);
                    if (jumps) fallThrough = null;
                    else conditional = null;
                }
            }

            foreach (var branch in new[] { fallThrough, conditional })
            {
                if (branch is { Semantics: ControlFlowBranchSemantics.Regular or ControlFlowBranchSemantics.Return, Destination: { } destination }) yield return (destination, branch.Semantics);
            }
        }

        private static ImmutableArray<IOperation> BlockRoots(BasicBlock block) =>
            block.BranchValue is null ? block.Operations : block.Operations.Add(block.BranchValue);

        private IEnumerable<Step> BlockSteps(BasicBlock block)
        {
            foreach (var operation in BlockRoots(block))
            {
                // Evaluation order, roughly: inner operations run before the await or call that holds them.
                foreach (var step in DescendantsInFunction(operation).Reverse().Select(Classify))
                {
                    if (step != Step.None) yield return step;
                }
            }
        }

        /// <summary>
        /// True when an exception thrown in <paramref name="block"/> lands in a catch other than one
        /// of the tries around <paramref name="tryAndCatch"/>: the innermost try with catches around
        /// the block is this try, one inside it, or one beside it.
        /// </summary>
        private static bool ThrowsIntoAnotherCatch(BasicBlock block, ControlFlowRegion? tryAndCatch)
        {
            for (var region = block.EnclosingRegion; region is not null; region = region.EnclosingRegion)
            {
                if (region.Kind != ControlFlowRegionKind.Try || region.EnclosingRegion is not { Kind: ControlFlowRegionKind.TryAndCatch } innermost) continue;
                for (var outer = tryAndCatch?.EnclosingRegion; outer is not null; outer = outer.EnclosingRegion)
                {
                    if (outer == innermost) return false;
                }

                return true;
            }

            return false;
        }

        private bool HasLoggingCall(IOperation handler) =>
            DescendantsInFunction(handler).OfType<IInvocationOperation>().Any(IsLoggingCall);

        private bool IsLoggingCall(IInvocationOperation invocation) => LoggingCalls.IsLogging(invocation, types.Symbols);
    }
}
