namespace AsyncGuard.Rules;

/// <summary>
/// Flags <c>Thread.Sleep</c> inside async code (AGD0001): it parks a thread for the whole wait,
/// where <c>await Task.Delay</c> gives the thread back and can observe the token in scope.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BlockingSleepAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the expression of the cancellation token in scope, when there is one.</summary>
    public const string TokenProperty = "Token";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.AGD0001_BlockingSleep);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownSymbols.From(start.Compilation) is not { Thread: { } thread } symbols) return;
            var testCode = TestCode.For(start.Compilation, start.Options);
            if (testCode.SilencesEverywhere(SupportedDiagnostics)) return;
            start.RegisterOperationAction(c => { if (!testCode.Silences(Descriptors.AGD0001_BlockingSleep, c.Operation.Syntax.SyntaxTree)) AnalyzeInvocation(c, symbols, thread); }, OperationKind.Invocation);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, KnownSymbols symbols, INamedTypeSymbol thread)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (method.Name != "Sleep" || !SymbolEqualityComparer.Default.Equals(method.ContainingType, thread)) return;
        if (invocation.Arguments.Length != 1) return;

        // Thread.Sleep(0) gives up the rest of the time slice: a yield, not a wait.
        if (invocation.Arguments[0].Value.ConstantValue is { HasValue: true, Value: 0 }) return;
        if (!AsyncContext.IsAsyncContext(invocation, context.ContainingSymbol, symbols)) return;

        var properties = ImmutableDictionary<string, string?>.Empty;
        if (invocation.SemanticModel is { } model
            && AsyncContext.FindTokenInScope(model, invocation.Syntax, symbols) is { } token)
        {
            properties = properties.Add(TokenProperty, token.Expression);
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.AGD0001_BlockingSleep,
            invocation.Syntax.GetLocation(),
            properties,
            "Thread.Sleep"));
    }
}
