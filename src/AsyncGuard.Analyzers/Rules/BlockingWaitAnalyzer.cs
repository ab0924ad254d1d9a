using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace AsyncGuard.Rules;

/// <summary>
/// Flags blocking waits on tasks: <c>.Result</c>, <c>.Wait(...)</c>, <c>.GetAwaiter().GetResult()</c>,
/// <c>Task.WaitAll</c> and <c>Task.WaitAny</c>. In async code (AGD0003) they hold the thread that
/// <c>await</c> would give back; in synchronous code (AGD0004) they risk deadlock and starvation.
/// Silent where the task is provably complete by simple flow inside the same method.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BlockingWaitAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: which form of wait was found (one of the <c>Shape*</c> constants).</summary>
    public const string ShapeProperty = "Shape";

    public const string ShapeResult = "Result";
    public const string ShapeGetResult = "GetResult";
    public const string ShapeWait = "Wait";
    public const string ShapeWaitWithArguments = "WaitWithArguments";
    public const string ShapeWaitAll = "WaitAll";
    public const string ShapeWaitAny = "WaitAny";

    private static readonly ImmutableArray<DiagnosticDescriptor> SupportedDiagnosticsOfRule =
        ImmutableArray.Create(Descriptors.AGD0003_BlockingWaitInAsync, Descriptors.AGD0004_BlockingWaitInSync);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => SupportedDiagnosticsOfRule;

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownSymbols.From(start.Compilation) is not { } symbols) return;
            var testCode = TestCode.For(start.Compilation, start.Options);
            if (testCode.SilencesEverywhere(SupportedDiagnostics)) return;
            var state = new CompilationState(symbols, testCode);
            start.RegisterOperationAction(state.AnalyzeWait, OperationKind.PropertyReference, OperationKind.Invocation);
        });
    }

    /// <summary>The per-compilation state: the completion facts of each operation block that has a wait.</summary>
    private sealed class CompilationState
    {
        private readonly KnownSymbols symbols;
        private readonly TestCode testCode;

        // Waits are rare: each is checked where it is found, and the completion facts of its
        // operation block are built once, on the first wait that needs them.
        private readonly ConditionalWeakTable<IOperation, CompletionFacts> factsByRoot = new();
        private readonly ConditionalWeakTable<IOperation, CompletionFacts>.CreateValueCallback build;

        public CompilationState(KnownSymbols symbols, TestCode testCode)
        {
            this.symbols = symbols;
            this.testCode = testCode;
            build = root => CompletionFacts.Build(ImmutableArray.Create(root), this.symbols);
        }

        public void AnalyzeWait(OperationAnalysisContext context)
        {
            if (testCode.SilencesAll(SupportedDiagnosticsOfRule, context.Operation.Syntax.SyntaxTree)) return;
            if (TaskWaits.Classify(context.Operation, symbols) is not { } wait) return;
            if (DualPath.IsSyncPath(wait.Operation, wait.Task)) return;
            if (wait.Task is { } task)
            {
                var facts = factsByRoot.GetValue(OperationFacts.Root(wait.Operation), build);
                if (facts.IsComplete(task, wait.Operation) || CompletionGuards.IsProvenComplete(task, wait.Operation, symbols)) return;
            }

            var inAsync = AsyncContext.IsAsyncContext(wait.Operation, context.ContainingSymbol, symbols);
            var descriptor = inAsync ? Descriptors.AGD0003_BlockingWaitInAsync : Descriptors.AGD0004_BlockingWaitInSync;
            var location = WaitLocation(wait);
            if (testCode.Silences(descriptor, location)) return;
            context.ReportDiagnostic(Diagnostic.Create(
                descriptor,
                location,
                ImmutableDictionary<string, string?>.Empty.Add(ShapeProperty, Shape(wait.Shape)),
                wait.Display,
                Alternative(wait.Shape)));
        }
    }

    private static string Shape(TaskWaitShape shape) => shape switch
    {
        TaskWaitShape.Result => ShapeResult,
        TaskWaitShape.GetResult => ShapeGetResult,
        TaskWaitShape.Wait => ShapeWait,
        TaskWaitShape.WaitWithArguments => ShapeWaitWithArguments,
        TaskWaitShape.WaitAll => ShapeWaitAll,
        _ => ShapeWaitAny,
    };

    private static string Alternative(TaskWaitShape shape) => shape switch
    {
        TaskWaitShape.WaitWithArguments => "await WaitAsync",
        TaskWaitShape.WaitAll => "await Task.WhenAll",
        TaskWaitShape.WaitAny => "await Task.WhenAny",
        _ => "await",
    };

    /// <summary>The member name to the end of the wait: <c>Result</c>, <c>Wait(x)</c>, <c>GetAwaiter().GetResult()</c>; the whole call for WaitAll/WaitAny.</summary>
    private static Location WaitLocation(TaskWait wait) => wait.Shape switch
    {
        TaskWaitShape.WaitAll or TaskWaitShape.WaitAny => wait.Operation.Syntax.GetLocation(),
        TaskWaitShape.GetResult when wait.Operation is IInvocationOperation { Instance: { } getAwaiter } => NameToEnd(getAwaiter.Syntax, wait.Operation.Syntax),
        _ => NameToEnd(wait.Operation.Syntax),
    };

    /// <summary>From the member name to the end of <paramref name="end"/>.</summary>
    private static Location NameToEnd(SyntaxNode start, SyntaxNode? end = null)
    {
        end ??= start;
        SyntaxNode target = start is InvocationExpressionSyntax invocation ? invocation.Expression : start;
        var nameStart = target switch
        {
            MemberAccessExpressionSyntax access => access.Name.SpanStart,
            MemberBindingExpressionSyntax binding => binding.Name.SpanStart,
            _ => start.SpanStart,
        };
        return Location.Create(end.SyntaxTree, TextSpan.FromBounds(nameStart, end.Span.End));
    }
}
