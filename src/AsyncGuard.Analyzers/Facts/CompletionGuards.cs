using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncGuard;

/// <summary>
/// Completion proven by code around a wait that the variable flow of the completion facts does
/// not follow: a check on a member chain (<c>_call.ResponseTask.Status == TaskStatus.RanToCompletion
/// ? _call.ResponseTask.Result : null</c>), a project's own extension method or property named
/// <c>IsCompleted</c>/<c>IsCompletedSuccessfully</c> (<c>if (task.IsCompletedSuccessfully())</c>), an
/// early exit on such a check, and an earlier await of the same task, also through a project's own
/// wrapper (<c>await task.ForAwait()</c>: an awaited call that takes the task first).
/// The task must be a plain reference (a local, parameter, field or property chain); a call is
/// never assumed to return the same task twice.
/// </summary>
internal static class CompletionGuards
{
    /// <summary>True when <paramref name="task"/> is known complete where <paramref name="access"/> runs.</summary>
    public static bool IsProvenComplete(IOperation task, IOperation access, KnownSymbols symbols)
    {
        task = TaskFacts.StripConfigureAwait(task);
        if (!IsPlainReference(task, 0)) return false;
        var child = access;
        for (var parent = access.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return false;
                case IConditionalOperation conditional when child == conditional.WhenTrue:
                    if (Implies(conditional.Condition, true, task, symbols, 0)) return true;
                    break;
                case IConditionalOperation conditional when child == conditional.WhenFalse:
                    if (Implies(conditional.Condition, false, task, symbols, 0)) return true;
                    break;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } both when child == both.RightOperand:
                    if (Implies(both.LeftOperand, true, task, symbols, 0)) return true;
                    break;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } either when child == either.RightOperand:
                    if (Implies(either.LeftOperand, false, task, symbols, 0)) return true;
                    break;
                case IBlockOperation block:
                    if (ProvenByEarlierStatement(block, child, task, symbols)) return true;
                    break;
            }
        }

        return false;
    }

    /// <summary>
    /// <c>if (!t.IsCompleted) return;</c> or <c>await t;</c> before <paramref name="statement"/> in
    /// <paramref name="block"/>, with no assignment to the task's variable or chain in between.
    /// </summary>
    private static bool ProvenByEarlierStatement(IBlockOperation block, IOperation statement, IOperation task, KnownSymbols symbols)
    {
        var proven = false;
        foreach (var earlier in block.Operations)
        {
            if (earlier == statement) return proven;
            if (proven)
            {
                if (Reassigns(earlier, task)) proven = false;
                continue;
            }

            switch (earlier)
            {
                case IConditionalOperation { WhenFalse: null } guard when OperationFacts.AlwaysLeaves(guard.WhenTrue) && Implies(guard.Condition, false, task, symbols, 0):
                    proven = true;
                    break;
                case IExpressionStatementOperation { Operation: var expression } when AwaitsTask(expression, task, symbols):
                    proven = true;
                    break;
                case IVariableDeclarationGroupOperation group:
                    foreach (var declaration in group.Declarations)
                    {
                        foreach (var declarator in declaration.Declarators)
                        {
                            if (declarator.Initializer?.Value is { } value && AwaitsTask(value, task, symbols)) proven = true;
                        }
                    }

                    break;
            }
        }

        return false;
    }

    /// <summary>An assignment in <paramref name="operation"/> to the task reference or to a part of its chain.</summary>
    private static bool Reassigns(IOperation operation, IOperation task)
    {
        foreach (var descendant in operation.DescendantsAndSelf())
        {
            if (descendant is not IAssignmentOperation { Target: var target }) continue;
            for (var part = OperationFacts.StripConversions(task); part is not null; part = part switch
            {
                IFieldReferenceOperation field => field.Instance is null ? null : OperationFacts.StripConversions(field.Instance),
                IPropertyReferenceOperation property => property.Instance is null ? null : OperationFacts.StripConversions(property.Instance),
                _ => null,
            })
            {
                if (SameReference(target, part, 0)) return true;
            }
        }

        return false;
    }

    /// <summary><c>await t</c>, <c>x = await t</c>, <c>await t.ConfigureAwait(false)</c>, <c>await t.ForAwait()</c>, <c>await Wrap(t)</c>.</summary>
    private static bool AwaitsTask(IOperation expression, IOperation task, KnownSymbols symbols)
    {
        expression = OperationFacts.StripConversions(expression);
        if (expression is ISimpleAssignmentOperation assignment) expression = OperationFacts.StripConversions(assignment.Value);
        if (expression is not IAwaitOperation awaitOperation) return false;
        var awaited = TaskFacts.StripConfigureAwait(awaitOperation.Operation);
        if (SameReference(awaited, task, 0)) return true;
        // A wrapper is an extension or static method given the task first (the task's own members, such as
        // WaitAsync, are left to the completion facts).
        if (awaited is not IInvocationOperation { TargetMethod: { IsStatic: true, Name: not ("WhenAny" or "WaitAny") }, Arguments.Length: > 0 } wrapper
            && awaited is not IInvocationOperation { TargetMethod: { IsExtensionMethod: true, Name: not ("WhenAny" or "WaitAny") }, Arguments.Length: > 0 }) return false;
        wrapper = (IInvocationOperation)awaited;
        if (symbols.IsTaskType(wrapper.TargetMethod.ContainingType)) return false;
        return SameReference(TaskFacts.StripConfigureAwait(wrapper.Arguments[0].Value), task, 0);
    }

    /// <summary>True when <paramref name="condition"/> having the value <paramref name="value"/> means <paramref name="task"/> has completed.</summary>
    private static bool Implies(IOperation condition, bool value, IOperation task, KnownSymbols symbols, int depth)
    {
        if (depth > 8) return false;
        condition = OperationFacts.StripConversions(condition);
        switch (condition)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: var operand }:
                return Implies(operand, !value, task, symbols, depth + 1);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } both when value:
                return Implies(both.LeftOperand, true, task, symbols, depth + 1) || Implies(both.RightOperand, true, task, symbols, depth + 1);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } either when !value:
                return Implies(either.LeftOperand, false, task, symbols, depth + 1) || Implies(either.RightOperand, false, task, symbols, depth + 1);
            case IPropertyReferenceOperation { Property: { Name: var name, Type.SpecialType: SpecialType.System_Boolean }, Instance: { } instance } when value && IsCompletionName(name):
                return SameReference(instance, task, 0);
            case IInvocationOperation { TargetMethod: { Name: var name, ReturnType.SpecialType: SpecialType.System_Boolean } method } invocation when value && IsCompletionName(name):
                // task.IsCompletedSuccessfully() as an extension, or Helpers.IsCompleted(task)
                var subject = invocation.Instance ?? (invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null);
                return subject is not null && (method.IsExtensionMethod || method.IsStatic || invocation.Instance is not null) && SameReference(subject, task, 0);
            case IInvocationOperation { TargetMethod: { Name: "Wait", ReturnType.SpecialType: SpecialType.System_Boolean }, Arguments.Length: > 0, Instance: { } waited } when value:
                // if (!t.Wait(timeout)) throw ...; t.Result
                return SameReference(waited, task, 0);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison
                when (comparison.OperatorKind == BinaryOperatorKind.Equals) == value:
                return IsFinalStatus(comparison.LeftOperand, comparison.RightOperand, task, symbols) || IsFinalStatus(comparison.RightOperand, comparison.LeftOperand, task, symbols);
            default:
                return false;
        }
    }

    private static bool IsCompletionName(string name) =>
        name is "IsCompleted" or "IsCompletedSuccessfully" or "IsFaulted" or "IsCanceled";

    /// <summary><c>t.Status == TaskStatus.RanToCompletion</c> (or Canceled, Faulted).</summary>
    private static bool IsFinalStatus(IOperation side, IOperation other, IOperation task, KnownSymbols symbols) =>
        OperationFacts.StripConversions(side) is IPropertyReferenceOperation { Property.Name: "Status", Instance: { } instance }
        && OperationFacts.StripConversions(other) is { ConstantValue: { HasValue: true, Value: int state } } status
        && SymbolEqualityComparer.Default.Equals(status.Type, symbols.TaskStatus)
        && state is 5 or 6 or 7
        && SameReference(instance, task, 0);

    /// <summary>Both operations read the same variable or member chain (<c>_call.ResponseTask</c>, <c>this.Task</c>).</summary>
    private static bool SameReference(IOperation left, IOperation right, int depth)
    {
        if (depth > 8) return false;
        left = OperationFacts.StripConversions(left);
        right = OperationFacts.StripConversions(right);
        return (left, right) switch
        {
            (ILocalReferenceOperation a, ILocalReferenceOperation b) => SymbolEqualityComparer.Default.Equals(a.Local, b.Local),
            (IParameterReferenceOperation a, IParameterReferenceOperation b) => SymbolEqualityComparer.Default.Equals(a.Parameter, b.Parameter),
            (IInstanceReferenceOperation, IInstanceReferenceOperation) => true,
            (IFieldReferenceOperation a, IFieldReferenceOperation b) =>
                SymbolEqualityComparer.Default.Equals(a.Field, b.Field) && SameInstance(a.Instance, b.Instance, depth),
            (IPropertyReferenceOperation { Arguments.Length: 0 } a, IPropertyReferenceOperation { Arguments.Length: 0 } b) =>
                SymbolEqualityComparer.Default.Equals(a.Property, b.Property) && SameInstance(a.Instance, b.Instance, depth),
            _ => false,
        };
    }

    private static bool SameInstance(IOperation? left, IOperation? right, int depth) =>
        left is null ? right is null : right is not null && SameReference(left, right, depth + 1);

    private static bool IsPlainReference(IOperation operation, int depth)
    {
        if (depth > 8) return false;
        return OperationFacts.StripConversions(operation) switch
        {
            ILocalReferenceOperation or IParameterReferenceOperation or IInstanceReferenceOperation => true,
            IFieldReferenceOperation field => field.Instance is null || IsPlainReference(field.Instance, depth + 1),
            IPropertyReferenceOperation { Arguments.Length: 0 } property => property.Instance is null || IsPlainReference(property.Instance, depth + 1),
            _ => false,
        };
    }

}
