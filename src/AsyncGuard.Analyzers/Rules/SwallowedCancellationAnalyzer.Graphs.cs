using Microsoft.CodeAnalysis.FlowAnalysis;

namespace AsyncGuard.Rules;

/// <summary>AGD0020/AGD0021, continued: the control-flow graph of the function around a try, and the regions of its catches.</summary>
public sealed partial class SwallowedCancellationAnalyzer
{
    private sealed partial class TryAnalysis
    {
        // ---- Graphs ----

        /// <summary>The lambda or local function around <paramref name="operation"/>, or else the operation block that holds it.</summary>
        private IOperation EnclosingFunction(IOperation operation)
        {
            var current = operation;
            for (var parent = operation.Parent; parent is not null; current = parent, parent = parent.Parent)
            {
                if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation) return parent;
            }

            return current;
        }

        private ControlFlowGraph? GraphOf(IOperation function)
        {
            if (graphs.TryGetValue(function, out var cached)) return cached;
            ControlFlowGraph? graph = null;
            try
            {
                if (function is not IAnonymousFunctionOperation and not ILocalFunctionOperation)
                {
                    if (function.Parent is null) graph = context.GetControlFlowGraph();
                }
                else
                {
                    var outer = GraphOf(EnclosingFunction(function));
                    if (outer is not null)
                    {
                        graph = function switch
                        {
                            ILocalFunctionOperation local => FindLocalFunctionGraph(outer, local.Symbol),
                            IAnonymousFunctionOperation lambda => FindLambdaGraph(outer, lambda.Symbol),
                            _ => null,
                        };
                    }
                }
            }
            catch (System.ArgumentException)
            {
                // Half-typed code the graph builder refuses: stay silent.
                graph = null;
            }

            graphs[function] = graph;
            return graph;
        }

        private ControlFlowGraph? FindLocalFunctionGraph(ControlFlowGraph outer, IMethodSymbol symbol)
        {
            if (outer.LocalFunctions.Contains(symbol, SymbolEqualityComparer.Default)) return outer.GetLocalFunctionControlFlowGraph(symbol, context.CancellationToken);
            return null;
        }

        private ControlFlowGraph? FindLambdaGraph(ControlFlowGraph outer, IMethodSymbol symbol)
        {
            foreach (var graph in new[] { outer }.Concat(outer.LocalFunctions.Select(f => outer.GetLocalFunctionControlFlowGraph(f, context.CancellationToken))))
            {
                foreach (var block in graph.Blocks)
                {
                    var roots = block.BranchValue is null ? block.Operations : block.Operations.Add(block.BranchValue);
                    foreach (var flow in roots.SelectMany(r => r.DescendantsAndSelf()).OfType<IFlowAnonymousFunctionOperation>())
                    {
                        if (SymbolEqualityComparer.Default.Equals(flow.Symbol, symbol)) return graph.GetAnonymousFunctionControlFlowGraph(flow, context.CancellationToken);
                    }
                }
            }

            return null;
        }

        /// <summary>
        /// Pairs each catch clause of <paramref name="function"/> with its region of the graph: the
        /// try/catch regions appear in the same order as the try statements in the source. Null when
        /// the shapes do not line up (then the analysis stays silent).
        /// </summary>
        private Dictionary<ICatchClauseOperation, ControlFlowRegion>? RegionMap(IOperation function, ControlFlowGraph graph)
        {
            if (regionMaps.TryGetValue(function, out var cached)) return cached;
            var ownTries = DescendantsInFunction(function)
                .OfType<ITryOperation>()
                .Where(t => t.Catches.Length > 0)
                .OrderBy(t => t.Syntax.SpanStart)
                .ThenByDescending(t => t.Syntax.Span.Length)
                .ToList();
            var tryRegions = new List<ControlFlowRegion>();
            CollectTryAndCatch(graph.Root, tryRegions);

            Dictionary<ICatchClauseOperation, ControlFlowRegion>? map = null;
            if (ownTries.Count == tryRegions.Count)
            {
                map = new Dictionary<ICatchClauseOperation, ControlFlowRegion>();
                for (var i = 0; i < ownTries.Count && map is not null; i++)
                {
                    var catchRegions = tryRegions[i].NestedRegions.Where(r => r.Kind is ControlFlowRegionKind.Catch or ControlFlowRegionKind.FilterAndHandler).ToList();
                    var catches = ownTries[i].Catches;
                    if (catchRegions.Count != catches.Length) { map = null; break; }
                    for (var j = 0; j < catches.Length; j++)
                    {
                        if (!SymbolEqualityComparer.Default.Equals(catchRegions[j].ExceptionType, catches[j].ExceptionType)
                            || (catchRegions[j].Kind == ControlFlowRegionKind.FilterAndHandler) != (catches[j].Filter is not null))
                        {
                            map = null;
                            break;
                        }

                        map[catches[j]] = catchRegions[j];
                    }
                }
            }

            regionMaps[function] = map;
            return map;
        }

        private static void CollectTryAndCatch(ControlFlowRegion region, List<ControlFlowRegion> result)
        {
            if (region.Kind == ControlFlowRegionKind.TryAndCatch) result.Add(region);
            foreach (var nested in region.NestedRegions) CollectTryAndCatch(nested, result);
        }
    }
}
