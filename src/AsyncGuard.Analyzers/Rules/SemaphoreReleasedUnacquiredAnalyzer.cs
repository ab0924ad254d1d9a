using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncGuard.Rules;

/// <summary>
/// Flags a SemaphoreSlim wait inside the try whose finally releases the same semaphore, and a
/// wait with a timeout whose result is ignored just before such a try (AGD0025): a cancelled,
/// failed or timed-out wait acquires nothing, and the finally releases anyway.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SemaphoreReleasedUnacquiredAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: where the wait is, <see cref="PlaceInsideTry"/> or <see cref="PlaceBeforeTry"/>.</summary>
    public const string PlaceProperty = "Place";

    /// <summary>Diagnostic property: "true" when the wait has a finite timeout and its result is ignored.</summary>
    public const string UncheckedTimeoutProperty = "UncheckedTimeout";

    public const string PlaceInsideTry = "InsideTry";
    public const string PlaceBeforeTry = "BeforeTry";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.AGD0025_SemaphoreReleasedUnacquired);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownSymbols.From(start.Compilation) is not { SemaphoreSlim: { } semaphoreSlim } symbols) return;
            var testCode = TestCode.For(start.Compilation, start.Options);
            if (testCode.SilencesEverywhere(SupportedDiagnostics)) return;
            var state = new CompilationState(symbols, semaphoreSlim);
            start.RegisterOperationAction(c => { if (!testCode.Silences(Descriptors.AGD0025_SemaphoreReleasedUnacquired, c.Operation.Syntax.SyntaxTree)) state.AnalyzeInvocation(c); }, OperationKind.Invocation);
        });
    }

    private sealed class CompilationState
    {
        private readonly KnownSymbols symbols;
        private readonly INamedTypeSymbol semaphoreSlim;

        public CompilationState(KnownSymbols symbols, INamedTypeSymbol semaphoreSlim)
        {
            this.symbols = symbols;
            this.semaphoreSlim = semaphoreSlim;
        }

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (!SemaphoreFacts.MayBeAcquire(invocation.TargetMethod.Name)) return;
            if (!SemaphoreFacts.IsAcquire(invocation, semaphoreSlim) || invocation.Instance is not { } semaphore) return;

            var statement = ResultDroppedStatement(invocation);
            var uncheckedTimeout = statement is not null && SemaphoreFacts.CanTimeOut(invocation, symbols);

            // Inside the body of a try whose finally releases the semaphore, in the same function.
            IOperation child = invocation;
            for (var parent = invocation.Parent; parent is not null; child = parent, parent = parent.Parent)
            {
                if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation) break;
                if (parent is ITryOperation { Finally: { } finallyBlock } tryOperation && child == tryOperation.Body
                    && SemaphoreFacts.ReleasesUnconditionally(finallyBlock, semaphore, semaphoreSlim))
                {
                    Report(context, invocation, semaphore, PlaceInsideTry, uncheckedTimeout,
                        uncheckedTimeout ? "acquire before the try and check the result" : "acquire before the try");
                    return;
                }
            }

            // A timed wait whose result is dropped, as the statement just before such a try.
            if (uncheckedTimeout && statement!.Parent is IBlockOperation block)
            {
                var index = block.Operations.IndexOf(statement);
                if (index >= 0 && index + 1 < block.Operations.Length
                    && block.Operations[index + 1] is ITryOperation { Finally: { } finallyBlock }
                    && SemaphoreFacts.ReleasesUnconditionally(finallyBlock, semaphore, semaphoreSlim))
                {
                    Report(context, invocation, semaphore, PlaceBeforeTry, uncheckedTimeout: true, "check the result before the try");
                }
            }
        }

        private static void Report(OperationAnalysisContext context, IInvocationOperation invocation, IOperation semaphore, string place, bool uncheckedTimeout, string advice)
        {
            var properties = ImmutableDictionary<string, string?>.Empty
                .Add(PlaceProperty, place)
                .Add(UncheckedTimeoutProperty, uncheckedTimeout ? "true" : "false");
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.AGD0025_SemaphoreReleasedUnacquired,
                invocation.Syntax.GetLocation(),
                properties,
                "SemaphoreSlim." + invocation.TargetMethod.Name,
                semaphore.Syntax.ToString(),
                advice));
        }

        /// <summary>
        /// The expression statement whose value is the wait's result thrown away
        /// (<c>s.Wait(t);</c>, <c>await s.WaitAsync(t);</c>, with or without ConfigureAwait), or null.
        /// </summary>
        private static IExpressionStatementOperation? ResultDroppedStatement(IInvocationOperation invocation)
        {
            IOperation current = invocation;
            if (current.Parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure && configure.Instance == current)
                current = configure;
            if (current.Parent is IAwaitOperation awaited) current = awaited;
            return current.Parent as IExpressionStatementOperation;
        }
    }
}
