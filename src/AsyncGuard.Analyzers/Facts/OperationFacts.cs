namespace AsyncGuard;

/// <summary>
/// Shapes of the operation tree that every rule walks through: conversions around a value,
/// the operation that consumes a value, the root of an operation block.
/// </summary>
internal static class OperationFacts
{
    /// <summary>
    /// The value under its conversions: every conversion, or with <paramref name="implicitOnly"/>
    /// only the ones the compiler inserted (an explicit cast is then kept).
    /// </summary>
    public static IOperation StripConversions(IOperation operation, bool implicitOnly = false)
    {
        while (operation is IConversionOperation { Operand: { } operand } conversion && (!implicitOnly || conversion.IsImplicit))
            operation = operand;
        return operation;
    }

    /// <summary>
    /// The operation that consumes <paramref name="operation"/>: its parent above the conversions
    /// (only the implicit ones with <paramref name="implicitOnly"/>) and, with
    /// <paramref name="delegateCreations"/>, above the delegate creation that wraps a lambda.
    /// </summary>
    public static IOperation? ConsumerOf(IOperation operation, bool implicitOnly = false, bool delegateCreations = false)
    {
        var parent = operation.Parent;
        while ((parent is IConversionOperation conversion && (!implicitOnly || conversion.IsImplicit))
            || (delegateCreations && parent is IDelegateCreationOperation))
        {
            parent = parent.Parent;
        }

        return parent;
    }

    /// <summary>The root of an operation tree: the operation block (method body, initializer) an operation belongs to.</summary>
    public static IOperation Root(IOperation operation)
    {
        var current = operation;
        while (current.Parent is { } parent) current = parent;
        return current;
    }

    /// <summary>True inside <c>nameof(...)</c>, where nothing runs.</summary>
    public static bool IsInNameOf(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is INameOfOperation) return true;
        }

        return false;
    }

    /// <summary>The statement always leaves (its last statement throws, returns or branches): an early exit.</summary>
    public static bool AlwaysLeaves(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IBlockOperation { Operations.Length: > 0 } block:
                    operation = block.Operations[block.Operations.Length - 1];
                    continue;
                case IExpressionStatementOperation { Operation: IThrowOperation }:
                case IThrowOperation:
                case IReturnOperation:
                case IBranchOperation:
                    return true;
                default:
                    return false;
            }
        }
    }
}
