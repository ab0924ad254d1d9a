namespace AsyncGuard;

/// <summary>The forms of a blocking wait on a task.</summary>
internal enum TaskWaitShape
{
    /// <summary><c>t.Result</c> of a Task&lt;T&gt; or ValueTask&lt;T&gt;.</summary>
    Result,

    /// <summary><c>t.GetAwaiter().GetResult()</c>, also through <c>ConfigureAwait</c>.</summary>
    GetResult,

    /// <summary><c>t.Wait()</c>.</summary>
    Wait,

    /// <summary><c>t.Wait(timeout)</c>, <c>t.Wait(token)</c>.</summary>
    WaitWithArguments,

    /// <summary><c>Task.WaitAll(...)</c>.</summary>
    WaitAll,

    /// <summary><c>Task.WaitAny(...)</c>.</summary>
    WaitAny,
}

/// <summary>A blocking wait on a task: its form, the task waited for (null for WaitAll/WaitAny), and the call as messages name it.</summary>
internal sealed record TaskWait(IOperation Operation, TaskWaitShape Shape, IOperation? Task, string Display);

/// <summary>The wait table for tasks: which operations block until a task completes.</summary>
internal static class TaskWaits
{
    /// <summary>
    /// The blocking wait <paramref name="operation"/> is, or null: not a wait, a zero-timeout probe
    /// (<c>Wait(0)</c>, <c>WaitAll(tasks, TimeSpan.Zero)</c>), a wait on a task that is complete by
    /// construction (<see cref="TaskFacts.IsCompletedTask"/>), or inside <c>nameof</c>.
    /// </summary>
    public static TaskWait? Classify(IOperation operation, KnownSymbols symbols)
    {
        var wait = operation switch
        {
            IPropertyReferenceOperation { Property.Name: "Result", Instance: { } instance } property
                when TaskFacts.IsResultType(property.Property.ContainingType, symbols)
                => TaskFacts.IsCompletedTask(instance, symbols)
                    ? null
                    : new TaskWait(operation, TaskWaitShape.Result, instance, property.Property.ContainingType.OriginalDefinition.Name + "<T>.Result"),
            IInvocationOperation invocation => ClassifyInvocation(invocation, symbols),
            _ => null,
        };
        return wait is not null && !OperationFacts.IsInNameOf(operation) ? wait : null;
    }

    private static TaskWait? ClassifyInvocation(IInvocationOperation invocation, KnownSymbols symbols)
    {
        var method = invocation.TargetMethod;
        switch (method.Name)
        {
            case "Wait" when !method.IsStatic && invocation.Instance is { } instance && symbols.IsTaskType(method.ContainingType):
                if (invocation.Arguments.Length > 0 && BlockingApis.IsZeroTimeout(invocation.Arguments[0].Value, symbols)) return null;
                if (TaskFacts.IsCompletedTask(instance, symbols)) return null;
                return new TaskWait(invocation, invocation.Arguments.Length == 0 ? TaskWaitShape.Wait : TaskWaitShape.WaitWithArguments, instance, "Task.Wait");

            case "GetResult" when invocation.Arguments.Length == 0
                && invocation.Instance is IInvocationOperation { TargetMethod.Name: "GetAwaiter", Arguments.Length: 0, Instance: { } awaitable }
                && (symbols.IsTaskType(awaitable.Type) || TaskFacts.IsConfiguredAwaitable(awaitable.Type, symbols)):
                var task = TaskFacts.StripConfigureAwait(awaitable);
                if (TaskFacts.IsCompletedTask(task, symbols)) return null;
                return new TaskWait(invocation, TaskWaitShape.GetResult, task, "GetAwaiter().GetResult()");

            case "WaitAll" or "WaitAny" when method.IsStatic && SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.Task):
                if (invocation.Arguments.Length > 1 && BlockingApis.IsZeroTimeout(invocation.Arguments[1].Value, symbols)) return null;
                var all = method.Name == "WaitAll";
                return new TaskWait(invocation, all ? TaskWaitShape.WaitAll : TaskWaitShape.WaitAny, null, all ? "Task.WaitAll" : "Task.WaitAny");
        }

        return null;
    }
}
