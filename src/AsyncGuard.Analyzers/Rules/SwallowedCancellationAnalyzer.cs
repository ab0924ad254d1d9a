using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
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
public sealed partial class SwallowedCancellationAnalyzer : DiagnosticAnalyzer
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

            var types = new CompilationState(
                symbols,
                oce,
                symbols.TaskCanceledException,
                symbols.Lookup("System.TimeoutException"));
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

    /// <summary>The per-compilation state: the types this family asks about, resolved once.</summary>
    private sealed record CompilationState(
        KnownSymbols Symbols,
        INamedTypeSymbol OperationCanceled,
        INamedTypeSymbol? TaskCanceled,
        INamedTypeSymbol? Timeout);

    /// <summary>Three-valued answer of a filter evaluated for a cancellation exception.</summary>
    private enum Truth
    {
        False,
        True,
        Unknown,
    }

    /// <summary>The analysis of one try statement: its catches, graphs built lazily per function.</summary>
    private sealed partial class TryAnalysis
    {
        private readonly OperationAnalysisContext context;
        private readonly CompilationState types;
        private readonly TestCode testCode;
        private readonly Dictionary<IOperation, ControlFlowGraph?> graphs = new();
        private readonly Dictionary<IOperation, Dictionary<ICatchClauseOperation, ControlFlowRegion>?> regionMaps = new();

        public TryAnalysis(OperationAnalysisContext context, CompilationState types, TestCode testCode)
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
            if (AwaitsOnlyConditionalContinuations(tryOperation.Body)) return false;

            // An enclosing try of the same function (with this try in its body) that catches OCE.
            IOperation current = tryOperation;
            for (var parent = tryOperation.Parent; parent is not null; current = parent, parent = parent.Parent)
            {
                if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation) break;
                if (parent is ITryOperation outer && outer.Body == current && outer.Catches.Any(CatchesOperationCanceled)) return false;
            }

            return true;
        }

        /// <summary>
        /// Every await of the try (there is one at least) awaits a <c>ContinueWith</c> given
        /// <c>OnlyOn*</c>/<c>NotOn*</c> options: when the antecedent does not match, the continuation is
        /// cancelled and the await throws TaskCanceledException, the very type caught (eShop's
        /// <c>await Run().ContinueWith(t =&gt; t.Exception, OnlyOnFaulted)</c>). No token is involved.
        /// </summary>
        private bool AwaitsOnlyConditionalContinuations(IOperation body) =>
            EveryAwait(body, awaited => awaited is IInvocationOperation { TargetMethod.Name: "ContinueWith" } continuation
                && continuation.Arguments.Any(a => a.Value.ConstantValue is { HasValue: true, Value: int flags } && (flags & ConditionalContinuationFlags) != 0
                    && SymbolEqualityComparer.Default.Equals(a.Parameter?.Type, types.Symbols.TaskContinuationOptions)));

        // TaskContinuationOptions.NotOnRanToCompletion | NotOnFaulted | NotOnCanceled (OnlyOn* combine these).
        private const int ConditionalContinuationFlags = 0x10000 | 0x20000 | 0x40000;

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
            switch (OperationFacts.StripConversions(operation))
            {
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
                    return tokens is null || tokens.Count == 0 || (TokenFacts.SourceSymbol(property.Instance) is { } checkedToken && tokens.Contains(checkedToken))
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
            if (value is not null) value = OperationFacts.StripConversions(value);
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
    }
}
