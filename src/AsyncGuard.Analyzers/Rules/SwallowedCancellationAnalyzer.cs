using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace AsyncGuard.Rules;

/// <summary>
/// Flags catches that swallow cancellation (AGD0020): they cover OperationCanceledException and,
/// once they complete, the code goes on working (the next loop round, awaits after the try).
/// Also general catches that log cancellation as a failure (AGD0021) and catches of
/// TaskCanceledException alone (AGD0022). Whether work follows a catch is read from the
/// control flow graph of the enclosing function.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SwallowedCancellationAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: "General" for a catch of Exception or an untyped catch, "Cancellation" for an OCE/TCE catch.</summary>
    public const string CatchKindProperty = "CatchKind";

    public const string GeneralCatch = "General";

    public const string CancellationCatch = "Cancellation";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.AGD0020_SwallowedCancellation,
        Descriptors.AGD0021_CancellationLoggedAsFailure,
        Descriptors.AGD0022_TaskCanceledOnly);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownSymbols.From(start.Compilation) is not
                {
                    OperationCanceledException: { } oce,
                    CancellationToken: not null,
                    Exception: not null,
                } symbols) return;

            var types = new CancellationTypes(
                symbols,
                oce,
                symbols.TaskCanceledException,
                symbols.Lookup("System.TimeoutException"),
                symbols.Lookup("Microsoft.Extensions.Logging.ILogger"),
                symbols.Lookup("System.Console"),
                symbols.Lookup("System.Diagnostics.Debug"),
                symbols.Lookup("System.Diagnostics.Trace"),
                symbols.Lookup("System.IO.TextWriter"));
            var testCode = TestCode.For(start.Compilation, start.Options);
            if (testCode.SilencesEverywhere(SupportedDiagnostics)) return;

            // Try statements with catches are few: each is analyzed where it is found. The
            // control-flow graph of its block is built only when a catch needs it (the driver caches it).
            start.RegisterOperationAction(
                c =>
                {
                    var tryOperation = (ITryOperation)c.Operation;
                    if (tryOperation.Catches.Length == 0) return;
                    if (testCode.SilencesAll(SupportedDiagnostics, tryOperation.Syntax.SyntaxTree)) return;
                    new TryAnalysis(c, types, testCode).Run(tryOperation);
                },
                OperationKind.Try);
        });
    }

    /// <summary>The types this family asks about, resolved once per compilation.</summary>
    private sealed record CancellationTypes(
        KnownSymbols Symbols,
        INamedTypeSymbol OperationCanceled,
        INamedTypeSymbol? TaskCanceled,
        INamedTypeSymbol? Timeout,
        INamedTypeSymbol? Logger,
        INamedTypeSymbol? Console,
        INamedTypeSymbol? Debug,
        INamedTypeSymbol? Trace,
        INamedTypeSymbol? TextWriter);

    /// <summary>Three-valued answer of a filter evaluated for a cancellation exception.</summary>
    private enum Truth
    {
        False,
        True,
        Unknown,
    }

    /// <summary>The analysis of one try statement: its catches, graphs built lazily per function.</summary>
    private sealed class TryAnalysis
    {
        private readonly OperationAnalysisContext context;
        private readonly CancellationTypes types;
        private readonly TestCode testCode;
        private readonly Dictionary<IOperation, ControlFlowGraph?> graphs = new();
        private readonly Dictionary<IOperation, Dictionary<ICatchClauseOperation, ControlFlowRegion>?> regionMaps = new();

        public TryAnalysis(OperationAnalysisContext context, CancellationTypes types, TestCode testCode)
        {
            this.context = context;
            this.types = types;
            this.testCode = testCode;
        }

        public void Run(ITryOperation tryOperation)
        {
            for (var i = 0; i < tryOperation.Catches.Length; i++)
            {
                AnalyzeCatch(tryOperation, i);
            }
        }

        private void AnalyzeCatch(ITryOperation tryOperation, int index)
        {
            var clause = tryOperation.Catches[index];
            var caught = clause.ExceptionType;
            if (caught is null || caught.TypeKind == TypeKind.Error) return;
            if (clause.Syntax is not CatchClauseSyntax syntax) return;

            var isOperationCanceled = SymbolEqualityComparer.Default.Equals(caught, types.OperationCanceled);
            var isTaskCanceled = types.TaskCanceled is not null && SymbolEqualityComparer.Default.Equals(caught, types.TaskCanceled);
            var isGeneral = caught.SpecialType == SpecialType.System_Object
                || SymbolEqualityComparer.Default.Equals(caught, types.Symbols.Exception);

            if (isTaskCanceled && ReportsTaskCanceledOnly(tryOperation, clause))
            {
                Report(Descriptors.AGD0022_TaskCanceledOnly, syntax, CancellationCatch);
            }

            if (!isOperationCanceled && !isTaskCanceled && !isGeneral) return;
            var assumed = isTaskCanceled ? types.TaskCanceled! : types.OperationCanceled;
            // A filter on the token that the try passes means "this cancellation"; a filter on some
            // other token (a process-exit token, say) is a deliberate choice: left undecided.
            if (clause.Filter is { } filter && Evaluate(filter, assumed, Local(clause), TokensPassed(tryOperation.Body)) != Truth.True) return;
            if (EarlierCatchHandlesCancellation(tryOperation, index)) return;
            if (isGeneral && !(IsCancellable(tryOperation.Body) && HasCancellationSource(tryOperation))) return;

            // The graph is the expensive part: skip it where its answer is certain (nothing to swallow, nothing logged).
            if (!CouldKeepWorking(tryOperation, clause) && !(isGeneral && HasLoggingCall(clause.Handler))) return;
            var flow = Flow(tryOperation, clause, assumed);
            if (flow is { Swallows: true })
            {
                if (CatchIntent.IsDeliberate(tryOperation, clause, context.ContainingSymbol, types.Symbols)) return;
                Report(Descriptors.AGD0020_SwallowedCancellation, syntax, isGeneral ? GeneralCatch : CancellationCatch);
            }
            else if (isGeneral && (flow?.Logs ?? HasLoggingCall(clause.Handler)))
            {
                Report(Descriptors.AGD0021_CancellationLoggedAsFailure, syntax, GeneralCatch);
            }
        }

        private void Report(DiagnosticDescriptor descriptor, CatchClauseSyntax syntax, string kind)
        {
            if (testCode.Silences(descriptor, syntax.SyntaxTree)) return;
            var end = syntax.Declaration?.Span.End ?? syntax.CatchKeyword.Span.End;
            var span = TextSpan.FromBounds(syntax.CatchKeyword.SpanStart, end);
            var text = syntax.SyntaxTree.GetText(context.CancellationToken).ToString(span);
            context.ReportDiagnostic(Diagnostic.Create(
                descriptor,
                Location.Create(syntax.SyntaxTree, span),
                ImmutableDictionary<string, string?>.Empty.Add(CatchKindProperty, kind),
                text));
        }

        // ---- AGD0022 ----

        private bool ReportsTaskCanceledOnly(ITryOperation tryOperation, ICatchClauseOperation clause)
        {
            if (clause.Filter is { } filter && TestsForTimeout(filter)) return false;
            if (tryOperation.Catches.Any(CatchesOperationCanceled)) return false;

            // An enclosing try of the same function (with this try in its body) that catches OCE.
            IOperation current = tryOperation;
            for (var parent = tryOperation.Parent; parent is not null; current = parent, parent = parent.Parent)
            {
                if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation) break;
                if (parent is ITryOperation outer && outer.Body == current && outer.Catches.Any(CatchesOperationCanceled)) return false;
            }

            return true;
        }

        private bool CatchesOperationCanceled(ICatchClauseOperation clause) =>
            SymbolEqualityComparer.Default.Equals(clause.ExceptionType, types.OperationCanceled);

        private bool TestsForTimeout(IOperation filter)
        {
            foreach (var operation in filter.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case IIsTypeOperation isType when IsTimeoutType(isType.TypeOperand):
                    case ITypePatternOperation typePattern when IsTimeoutType(typePattern.MatchedType):
                    case IDeclarationPatternOperation declaration when IsTimeoutType(declaration.MatchedType):
                    case IRecursivePatternOperation recursive when IsTimeoutType(recursive.MatchedType):
                        return true;
                    case IMemberReferenceOperation member when MentionsTimeout(member.Member.Name):
                    case IInvocationOperation invocation when MentionsTimeout(invocation.TargetMethod.Name):
                        return true;
                }
            }

            return false;
        }

        private bool IsTimeoutType(ITypeSymbol? type) =>
            types.Timeout is not null && KnownSymbols.InheritsFrom(type, types.Timeout);

        private static bool MentionsTimeout(string name) =>
            name.IndexOf("Timeout", System.StringComparison.OrdinalIgnoreCase) >= 0
            || name.IndexOf("TimedOut", System.StringComparison.OrdinalIgnoreCase) >= 0;

        // ---- Does the catch cover cancellation? ----

        private bool EarlierCatchHandlesCancellation(ITryOperation tryOperation, int index)
        {
            for (var i = 0; i < index; i++)
            {
                var earlier = tryOperation.Catches[i];
                if (earlier.ExceptionType is not { } type || !KnownSymbols.InheritsFrom(types.OperationCanceled, type)) continue;
                if (earlier.Filter is null || Evaluate(earlier.Filter, types.OperationCanceled, Local(earlier)) == Truth.True) return true;
            }

            return false;
        }

        /// <summary>The value of a filter when the exception is an <paramref name="assumed"/> and the tokens are cancelled.</summary>
        private Truth Evaluate(IOperation operation, ITypeSymbol assumed, ILocalSymbol? local, HashSet<ISymbol>? tokens = null)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    return Evaluate(conversion.Operand, assumed, local, tokens);
                case ILiteralOperation { ConstantValue: { HasValue: true, Value: bool value } }:
                    return value ? Truth.True : Truth.False;
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                    return Not(Evaluate(not.Operand, assumed, local, tokens));
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.And } and:
                    return And(Evaluate(and.LeftOperand, assumed, local, tokens), Evaluate(and.RightOperand, assumed, local, tokens));
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr or BinaryOperatorKind.Or } or:
                    return Or(Evaluate(or.LeftOperand, assumed, local, tokens), Evaluate(or.RightOperand, assumed, local, tokens));
                case IIsTypeOperation isType when IsCaughtException(isType.ValueOperand, local):
                    var typeTest = TypeTest(isType.TypeOperand, assumed);
                    return isType.IsNegated ? Not(typeTest) : typeTest;
                case IIsPatternOperation pattern when IsCaughtException(pattern.Value, local):
                    return EvaluatePattern(pattern.Pattern, assumed);
                case IPropertyReferenceOperation { Property.Name: "IsCancellationRequested" } property
                    when types.Symbols.IsTokenLike(property.Property.ContainingType):
                    return tokens is null || tokens.Count == 0 || (TokenSymbol(property.Instance) is { } checkedToken && tokens.Contains(checkedToken))
                        ? Truth.True
                        : Truth.Unknown;
                default:
                    return Truth.Unknown;
            }
        }

        private Truth EvaluatePattern(IPatternOperation pattern, ITypeSymbol assumed) => pattern switch
        {
            INegatedPatternOperation negated => Not(EvaluatePattern(negated.Pattern, assumed)),
            IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.And } both => And(EvaluatePattern(both.LeftPattern, assumed), EvaluatePattern(both.RightPattern, assumed)),
            IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.Or } either => Or(EvaluatePattern(either.LeftPattern, assumed), EvaluatePattern(either.RightPattern, assumed)),
            ITypePatternOperation typePattern => TypeTest(typePattern.MatchedType, assumed),
            IDeclarationPatternOperation declaration => declaration.MatchesNull ? Truth.True : TypeTest(declaration.MatchedType, assumed),
            IRecursivePatternOperation recursive => TypeTest(recursive.MatchedType, assumed) == Truth.False ? Truth.False : Truth.Unknown,
            _ => Truth.Unknown,
        };

        /// <summary>Is an exception of type <paramref name="assumed"/> (or derived) a <paramref name="tested"/>?</summary>
        private static Truth TypeTest(ITypeSymbol? tested, ITypeSymbol assumed)
        {
            if (tested is null || tested.TypeKind == TypeKind.Error) return Truth.Unknown;
            if (tested.SpecialType == SpecialType.System_Object || KnownSymbols.InheritsFrom(assumed, tested)) return Truth.True;
            if (tested.TypeKind == TypeKind.Interface || tested.TypeKind == TypeKind.TypeParameter) return Truth.Unknown;
            if (KnownSymbols.InheritsFrom(tested, assumed)) return Truth.Unknown;
            return Truth.False;
        }

        private static bool IsCaughtException(IOperation? value, ILocalSymbol? local)
        {
            while (value is IConversionOperation conversion) value = conversion.Operand;
            return value is ICaughtExceptionOperation
                || (local is not null && value is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local));
        }

        private static ILocalSymbol? Local(ICatchClauseOperation clause) =>
            (clause.ExceptionDeclarationOrExpression as IVariableDeclaratorOperation)?.Symbol;

        private static Truth Not(Truth value) => value switch
        {
            Truth.True => Truth.False,
            Truth.False => Truth.True,
            _ => Truth.Unknown,
        };

        private static Truth And(Truth left, Truth right) =>
            left == Truth.False || right == Truth.False ? Truth.False
            : left == Truth.True && right == Truth.True ? Truth.True
            : Truth.Unknown;

        private static Truth Or(Truth left, Truth right) =>
            left == Truth.True || right == Truth.True ? Truth.True
            : left == Truth.False && right == Truth.False ? Truth.False
            : Truth.Unknown;

        // ---- Cancellable code and work ----

        /// <summary>RULES.md's "cancellable code": awaits, passes a token, or calls ThrowIfCancellationRequested.</summary>
        /// <summary>
        /// A general catch is about cancellation only where something can cancel this code: the
        /// try passes or checks a token, or a token is in scope. A method with no token at all
        /// cannot be cancelled; what its catch sees are failures (an HttpClient timeout, say).
        /// </summary>
        private bool HasCancellationSource(ITryOperation tryOperation) =>
            DescendantsInFunction(tryOperation.Body).Any(o => Classify(o) is Step.TokenCall or Step.Check)
            || (tryOperation.SemanticModel is { } model && AsyncContext.FindTokenInScope(model, tryOperation.Syntax, types.Symbols) is not null);

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
                    return PassesToken(invocation.Arguments) ? Step.TokenCall : Step.None;
                case IObjectCreationOperation creation:
                    return PassesToken(creation.Arguments) ? Step.TokenCall : Step.None;
                default:
                    return Step.None;
            }
        }

        /// <summary>The tokens (by the parameter, local, field or source they come from) passed in <paramref name="body"/>.</summary>
        private HashSet<ISymbol> TokensPassed(IOperation body)
        {
            var result = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var operation in DescendantsInFunction(body))
            {
                if (operation is IArgumentOperation { Parameter: { } parameter } argument
                    && types.Symbols.IsCancellationToken(parameter.Type)
                    && TokenSymbol(argument.Value) is { } symbol) result.Add(symbol);
            }

            return result;
        }

        /// <summary><c>token</c>, <c>this.token</c>, <c>source.Token</c>: the symbol the token comes from.</summary>
        private static ISymbol? TokenSymbol(IOperation? value)
        {
            while (value is IConversionOperation conversion) value = conversion.Operand;
            if (value is IPropertyReferenceOperation { Property.Name: "Token", Instance: { } source }) value = source;
            return value switch
            {
                IParameterReferenceOperation parameter => parameter.Parameter,
                ILocalReferenceOperation local => local.Local,
                IFieldReferenceOperation field => field.Field,
                IPropertyReferenceOperation property => property.Property,
                _ => null,
            };
        }

        private bool PassesToken(ImmutableArray<IArgumentOperation> arguments)
        {
            foreach (var argument in arguments)
            {
                if (argument.ArgumentKind != ArgumentKind.Explicit || argument.Parameter is null) continue;
                if (!types.Symbols.IsCancellationToken(argument.Parameter.Type)) continue;
                var value = argument.Value;
                while (value is IConversionOperation conversion) value = conversion.Operand;
                if (value is IDefaultValueOperation) continue;
                if (value is IPropertyReferenceOperation { Property: { Name: "None", IsStatic: true } none } && types.Symbols.IsCancellationToken(none.ContainingType)) continue;
                return true;
            }

            return false;
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
                }
            }

            var swallows = completes && (bodyWorks || WorkReachable(exits, assumed));
            return new HandlerFlow(swallows, logs);
        }

        /// <summary>Is awaited or token-taking work reachable from <paramref name="starts"/> before the token is checked?</summary>
        private bool WorkReachable(List<BasicBlock> starts, ITypeSymbol assumed)
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
                    // A check outside any catch ends the work; inside one it throws into a catch again.
                    if (step == Step.Check && !InsideTryWithCatch(block)) { stopped = true; break; }

                    // A call given the (cancelled) token outside any catch throws again and leaves.
                    if (step == Step.TokenCall && !InsideTryWithCatch(block)) { stopped = true; break; }
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

        private static bool InsideTryWithCatch(BasicBlock block)
        {
            for (var region = block.EnclosingRegion; region is not null; region = region.EnclosingRegion)
            {
                if (region.Kind == ControlFlowRegionKind.Try && region.EnclosingRegion?.Kind == ControlFlowRegionKind.TryAndCatch) return true;
            }

            return false;
        }

        private bool HasLoggingCall(IOperation handler) =>
            DescendantsInFunction(handler).OfType<IInvocationOperation>().Any(IsLoggingCall);

        private bool IsLoggingCall(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            if (method.Name.StartsWith("Log", System.StringComparison.Ordinal)
                || method.Name.StartsWith("Trace", System.StringComparison.Ordinal)) return true;
            if (types.Logger is { } logger)
            {
                if (Implements(method.ContainingType, logger)) return true;
                if (method.IsExtensionMethod && method.Parameters.Length > 0 && Implements(method.Parameters[0].Type, logger)) return true;
                if (method.ReducedFrom is { Parameters.Length: > 0 } reduced && Implements(reduced.Parameters[0].Type, logger)) return true;
            }

            var containing = method.ContainingType;
            if (SymbolEqualityComparer.Default.Equals(containing, types.Console) && method.Name.StartsWith("Write", System.StringComparison.Ordinal)) return true;
            if (SymbolEqualityComparer.Default.Equals(containing, types.Debug) && method.Name == "Fail") return true;
            if (SymbolEqualityComparer.Default.Equals(containing, types.Trace)) return true;
            if (types.TextWriter is not null && KnownSymbols.InheritsFrom(containing, types.TextWriter)
                && method.Name.StartsWith("Write", System.StringComparison.Ordinal)
                && invocation.Instance is IPropertyReferenceOperation { Property.Name: "Error" or "Out" } stream
                && SymbolEqualityComparer.Default.Equals(stream.Property.ContainingType, types.Console)) return true;
            return false;
        }

        private static bool Implements(ITypeSymbol? type, INamedTypeSymbol iface) =>
            type is not null
            && (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, iface)
                || type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, iface)));

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
