using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AsyncGuard.Rules;

/// <summary>
/// Flags async lambdas, anonymous methods and async method groups converted to a delegate
/// that returns void (AGD0013): they run as async void, so nothing waits for them and their
/// exceptions escape to the synchronization context. Event subscriptions stay silent.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class AsyncLambdaToVoidDelegateAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: which rewrite the call allows (<see cref="ListForEach"/> or <see cref="ParallelForEach"/>).</summary>
    public const string ShapeProperty = "Shape";

    /// <summary>The delegate is the argument of <c>List&lt;T&gt;.ForEach</c>.</summary>
    public const string ListForEach = "ListForEach";

    /// <summary>The delegate is the body of <c>Parallel.ForEach</c> and <c>Parallel.ForEachAsync</c> exists.</summary>
    public const string ParallelForEach = "ParallelForEach";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.AGD0013_AsyncLambdaToVoidDelegate);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownSymbols.From(start.Compilation) is not { } symbols) return;
            var testCode = TestCode.For(start.Compilation, start.Options);
            if (testCode.SilencesEverywhere(SupportedDiagnostics)) return;
            var state = new CompilationState(symbols, symbols.Parallel is { } parallel && !parallel.GetMembers("ForEachAsync").IsEmpty);
            start.RegisterOperationAction(c => { if (!testCode.Silences(Descriptors.AGD0013_AsyncLambdaToVoidDelegate, c.Operation.Syntax.SyntaxTree)) AnalyzeDelegateCreation(c, state); }, OperationKind.DelegateCreation);
        });
    }

    /// <summary>The per-compilation state: the symbols, and whether Parallel.ForEachAsync exists.</summary>
    private sealed record CompilationState(KnownSymbols Symbols, bool HasForEachAsync);

    private static void AnalyzeDelegateCreation(OperationAnalysisContext context, CompilationState state)
    {
        var (symbols, hasForEachAsync) = (state.Symbols, state.HasForEachAsync);
        var creation = (IDelegateCreationOperation)context.Operation;
        if (creation.Type is not INamedTypeSymbol { TypeKind: TypeKind.Delegate, DelegateInvokeMethod: { ReturnsVoid: true } }) return;

        string kind;
        Location location;
        switch (creation.Target)
        {
            case IAnonymousFunctionOperation { Symbol.IsAsync: true } lambda:
                var asyncKeyword = lambda.Syntax switch
                {
                    AnonymousFunctionExpressionSyntax anonymous => anonymous.AsyncKeyword,
                    _ => default,
                };
                if (!asyncKeyword.IsKind(SyntaxKind.AsyncKeyword)) return;
                kind = lambda.Syntax is AnonymousMethodExpressionSyntax ? "anonymous method" : "lambda";
                location = asyncKeyword.GetLocation();
                break;
            case IMethodReferenceOperation { Method.IsAsync: true } reference:
                // AGD0012 reports such a method once, at its declaration (issue 13, 2g).
                if (AsyncVoidAnalyzer.IsReportedAtDeclaration(reference.Method.OriginalDefinition, symbols)
                    && !creation.Type.Name.EndsWith("EventHandler", System.StringComparison.Ordinal)) return;
                kind = $"method '{reference.Method.Name}'";
                location = reference.Syntax.GetLocation();
                break;
            default:
                return;
        }

        if (IsSubscription(creation)) return;

        var (shape, advice) = Classify(creation, symbols, hasForEachAsync);
        var properties = shape is null
            ? ImmutableDictionary<string, string?>.Empty
            : ImmutableDictionary<string, string?>.Empty.Add(ShapeProperty, shape);
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.AGD0013_AsyncLambdaToVoidDelegate,
            location,
            properties,
            kind,
            creation.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
            advice));
    }

    /// <summary><c>x.Event += async ...</c>, <c>-=</c>, and <c>+=</c>/<c>-=</c> on a delegate field or property used as an event.</summary>
    private static bool IsSubscription(IOperation creation)
    {
        // new EventHandler(async ...) inside +=: through the delegate creation too.
        return OperationFacts.ConsumerOf(creation, implicitOnly: true, delegateCreations: true) switch
        {
            IEventAssignmentOperation => true,
            ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract, Target.Type.TypeKind: TypeKind.Delegate } => true,
            _ => false,
        };
    }

    /// <summary>The rewrite the call allows, and the advice for the message.</summary>
    private static (string? Shape, string Advice) Classify(IDelegateCreationOperation creation, KnownSymbols symbols, bool hasForEachAsync)
    {
        if (creation.Parent is IArgumentOperation { Parent: IInvocationOperation invocation })
        {
            var method = invocation.TargetMethod;
            if (method.Name == "ForEach"
                && SymbolEqualityComparer.Default.Equals(method.ContainingType.OriginalDefinition, symbols.ListOfT))
            {
                return (ListForEach, "use a foreach loop that awaits each item");
            }

            if (method.Name == "ForEach"
                && SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.Parallel))
            {
                return hasForEachAsync
                    ? (ParallelForEach, "use 'await Parallel.ForEachAsync'")
                    : (null, "start the tasks and await 'Task.WhenAll'");
            }
        }

        return (null, "use an overload that takes a Task-returning delegate, or await the work");
    }
}
