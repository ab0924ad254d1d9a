namespace AsyncGuard.Rules;

/// <summary>
/// Flags a non-async function that returns a task started inside a <c>using</c> scope or a
/// <c>try</c> with handlers (AGD0032): the resource is disposed, and the handlers stop
/// guarding, as soon as the task is returned, while the work is still running.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TaskReturnedFromUsingAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.AGD0032_TaskReturnedFromUsing);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownSymbols.From(start.Compilation) is not { } symbols) return;
            var testCode = TestCode.For(start.Compilation, start.Options);
            if (testCode.SilencesEverywhere(SupportedDiagnostics)) return;
            start.RegisterOperationAction(c => { if (!testCode.Silences(Descriptors.AGD0032_TaskReturnedFromUsing, c.Operation.Syntax.SyntaxTree)) AnalyzeReturn(c, symbols); }, OperationKind.Return);
        });
    }

    private static void AnalyzeReturn(OperationAnalysisContext context, KnownSymbols symbols)
    {
        var returnOperation = (IReturnOperation)context.Operation;
        if (returnOperation.ReturnedValue is not { } returned) return;
        var value = OperationFacts.StripConversions(returned, implicitOnly: true);
        if (!symbols.IsAwaitable(value.Type)) return;
        if (AsyncContext.GetEnclosingFunction(returnOperation, context.ContainingSymbol) is not IMethodSymbol { IsAsync: false } function) return;
        if (!symbols.IsAwaitable(function.ReturnType)) return;

        var name = StartedTaskName(value, symbols);
        if (name is null) return;
        if (FindScope(returnOperation) is not { } scope) return;
        if (TaskHandOver.IsDeliberate(returnOperation)) return;

        // A task held in a local counts only when the local was made inside the scope.
        if (value is ILocalReferenceOperation local
            && !(local.Local.DeclaringSyntaxReferences.FirstOrDefault() is { } declaration && declaration.Span.Start >= scope.Start)) return;

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.AGD0032_TaskReturnedFromUsing,
            returned.Syntax.GetLocation(),
            name,
            scope.Kind));
    }

    /// <summary>What started the returned task, for the message; null for a completed task or an unknown source.</summary>
    private static string? StartedTaskName(IOperation value, KnownSymbols symbols) => value switch
    {
        _ when TaskFacts.IsCompletedTask(value, symbols) => null,
        IInvocationOperation invocation => invocation.TargetMethod.Name,
        IObjectCreationOperation { Type.IsValueType: false } creation when symbols.IsTaskType(creation.Type)
            && !creation.Arguments.Any(a => symbols.IsAwaitable(OperationFacts.StripConversions(a.Value, implicitOnly: true).Type)) => null, // new Task(...): cold, nothing started
        IObjectCreationOperation creation => creation.Type?.Name,
        ILocalReferenceOperation local => local.Local.Name,
        _ => null,
    };

    private sealed record Scope(string Kind, int Start);

    /// <summary>The innermost using scope or guarding try around the return, inside the same function.</summary>
    private static Scope? FindScope(IOperation operation)
    {
        var child = operation;
        for (var current = operation.Parent; current is not null; child = current, current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return null;
                case IUsingOperation { IsAsynchronous: false } usingOperation when child == usingOperation.Body:
                    return new Scope("using block", usingOperation.Syntax.SpanStart);
                case ITryOperation tryOperation when child == tryOperation.Body
                    && (tryOperation.Finally is not null || (tryOperation.Catches.Length > 0 && !ConvertsToFaultedTask(tryOperation))):
                    return new Scope(tryOperation.Finally is not null ? "try block with a finally" : "try block", tryOperation.Syntax.SpanStart);
                case ICatchClauseOperation { Parent: ITryOperation { Finally: not null } tryWithFinally }:
                    return new Scope("catch block with a finally", tryWithFinally.Syntax.SpanStart);
                case IBlockOperation block:
                    foreach (var statement in block.Operations)
                    {
                        if (statement == child) break;
                        if (statement is IUsingDeclarationOperation { IsAsynchronous: false } declaration)
                            return new Scope("using declaration's scope", declaration.Syntax.SpanStart);
                    }

                    break;
            }
        }

        return null;
    }

    // 'try { return Inner(); } catch (Exception e) { return Task.FromException(e); }' turns a
    // synchronous throw into a faulted task on purpose: the handler is not meant for the task.
    private static bool ConvertsToFaultedTask(ITryOperation tryOperation) =>
        tryOperation.Catches.All(c => c.Handler.Descendants().OfType<IReturnOperation>().Any(r =>
            r.ReturnedValue is { } v && OperationFacts.StripConversions(v, implicitOnly: true) is IInvocationOperation { TargetMethod: { IsStatic: true, Name: "FromException" or "FromCanceled" } }));
}
