namespace AsyncGuard;

/// <summary>
/// What the rules ask about tasks and task-valued expressions: which types carry a result,
/// what an awaitable yields, and whether an expression is a task that is complete by construction.
/// </summary>
internal static class TaskFacts
{
    /// <summary><c>Task&lt;T&gt;</c> or <c>ValueTask&lt;T&gt;</c>: the types whose <c>.Result</c> blocks.</summary>
    public static bool IsResultType(INamedTypeSymbol? type, KnownSymbols symbols) =>
        type is not null
        && (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, symbols.TaskOfT)
            || SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, symbols.ValueTaskOfT));

    /// <summary>The awaitables <c>ConfigureAwait</c> returns (task and value-task, with and without a result).</summary>
    public static bool IsConfiguredAwaitable(ITypeSymbol? type, KnownSymbols symbols) =>
        type is INamedTypeSymbol named
        && (SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, symbols.ConfiguredTaskAwaitable)
            || SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, symbols.ConfiguredTaskAwaitableOfT)
            || SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, symbols.ConfiguredValueTaskAwaitable)
            || SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, symbols.ConfiguredValueTaskAwaitableOfT));

    /// <summary><c>t.ConfigureAwait(x)</c> gives <c>t</c>; conversions are stripped on both sides.</summary>
    public static IOperation StripConfigureAwait(IOperation operation)
    {
        operation = OperationFacts.StripConversions(operation);
        if (operation is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } instance }) return OperationFacts.StripConversions(instance);
        return operation;
    }

    /// <summary>
    /// The one recogniser of "this expression is a completed task": <c>Task.FromResult(x)</c>,
    /// <c>FromException</c>, <c>FromCanceled</c>, <c>Task.CompletedTask</c>, <c>default(ValueTask)</c>,
    /// <c>new ValueTask&lt;T&gt;(value)</c> (not over a task), each on a BCL task type, under
    /// conversions and <c>ConfigureAwait</c>.
    /// </summary>
    public static bool IsCompletedTask(IOperation operation, KnownSymbols symbols)
    {
        operation = StripConfigureAwait(operation);
        return operation switch
        {
            IInvocationOperation { TargetMethod: { IsStatic: true, Name: "FromResult" or "FromException" or "FromCanceled" } method }
                => symbols.IsTaskType(method.ContainingType),
            IPropertyReferenceOperation { Property: { IsStatic: true, Name: "CompletedTask" } property }
                => symbols.IsTaskType(property.ContainingType),
            IDefaultValueOperation { Type: { } type } => symbols.IsTaskType(type) && type.IsValueType,
            IObjectCreationOperation { Type: { IsValueType: true } type, Arguments: var arguments }
                => symbols.IsTaskType(type) && (arguments.Length == 0 || !symbols.IsTaskType(arguments[0].Value.Type)),
            _ => false,
        };
    }

    /// <summary>The type an <c>await</c> of <paramref name="type"/> yields: T of a task type, or the awaiter's GetResult type; null for none.</summary>
    public static ITypeSymbol? AwaitedType(ITypeSymbol type, KnownSymbols symbols)
    {
        if (type is INamedTypeSymbol named && symbols.IsTaskType(named))
        {
            for (INamedTypeSymbol? current = named; current is not null; current = current.BaseType)
            {
                if (current.TypeArguments.Length == 1) return current.TypeArguments[0];
            }

            return null;
        }

        var getAwaiter = type.GetMembers("GetAwaiter").OfType<IMethodSymbol>().FirstOrDefault(m => m.Parameters.Length == 0);
        return getAwaiter?.ReturnType.GetMembers("GetResult").OfType<IMethodSymbol>().FirstOrDefault(m => m.Parameters.Length == 0)?.ReturnType;
    }
}
