using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncGuard;

/// <summary>
/// A task returned from inside a <c>try</c> where the try is not meant to guard the task:
/// <list type="bullet">
/// <item>disposal handed over to the returned task: <c>owns = false; return RestAsync(e);</c> with
/// <c>if (owns) e.Dispose();</c> in the finally (the task disposes the resource itself);</item>
/// <item>a catch that guards the synchronous work of the try: the try does more than return the
/// task (validation, setup, a throw), and the catch is there for that;</item>
/// <item>a returned local async function with its own try/catch, which handles the task's faults;</item>
/// <item>catches that only log or return <c>default</c>: awaiting would make them swallow the task's faults.</item>
/// </list>
/// </summary>
internal static class TaskHandOver
{
    public static bool IsDeliberate(IReturnOperation returnOperation)
    {
        var child = (IOperation)returnOperation;
        for (var parent = returnOperation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                case IUsingOperation:
                    return false;
                case IBlockOperation block when block.Operations.TakeWhile(o => o != child).Any(o => o is IUsingDeclarationOperation):
                    return false;
                case ITryOperation tryOperation when child == tryOperation.Body:
                    if (tryOperation.Finally is { } finallyBlock) return HandsOwnershipOver(returnOperation, tryOperation, finallyBlock);
                    return GuardsSynchronousWork(tryOperation.Body, returnOperation) || ReturnsOwnGuardedFunction(returnOperation) || CatchesSwallow(tryOperation);
            }
        }

        return false;
    }

    /// <summary>The try body does more than make and return the task: setup, validation, a branch.</summary>
    private static bool GuardsSynchronousWork(IBlockOperation body, IReturnOperation returnOperation)
    {
        var returned = returnOperation.ReturnedValue is { } value ? OperationFacts.StripConversions(value) : null;
        var returnedLocal = (returned as ILocalReferenceOperation)?.Local;
        foreach (var statement in body.Operations)
        {
            if (statement == returnOperation) continue;
            if (statement is IVariableDeclarationGroupOperation group && returnedLocal is not null
                && group.Declarations.SelectMany(d => d.Declarators).All(d => SymbolEqualityComparer.Default.Equals(d.Symbol, returnedLocal))) continue;
            return true;
        }

        return false;
    }

    /// <summary>
    /// Every catch only deals with the failure and gives nothing back: it neither throws nor returns
    /// a value of its own (it logs, returns <c>default</c>, falls through). It is there for what the
    /// call throws before it returns the task (a disposed connection); awaiting inside the try would
    /// make it swallow the task's faults as well, a change no fix can know is wanted. A catch that
    /// throws or makes a fallback result is about the work's failure, and should cover the task.
    /// </summary>
    private static bool CatchesSwallow(ITryOperation tryOperation) =>
        tryOperation.Catches.Length > 0
        && tryOperation.Catches.All(c => !c.Handler.Descendants().Any(o =>
            o is IThrowOperation
            || o is IReturnOperation { ReturnedValue: { } value } && OperationFacts.StripConversions(value) is not IDefaultValueOperation));

    /// <summary><c>owns = false;</c> before the return (in the try), and the finally reads <c>owns</c>.</summary>
    private static bool HandsOwnershipOver(IReturnOperation returnOperation, ITryOperation tryOperation, IBlockOperation finallyBlock)
    {
        foreach (var assignment in tryOperation.Body.Descendants().OfType<ISimpleAssignmentOperation>())
        {
            if (assignment.Syntax.SpanStart > returnOperation.Syntax.SpanStart) continue;
            if (assignment.Target is not ILocalReferenceOperation { Local: { Type.SpecialType: SpecialType.System_Boolean } flag }) continue;
            if (assignment.Value.ConstantValue is not { HasValue: true }) continue;
            if (finallyBlock.Descendants().OfType<ILocalReferenceOperation>().Any(r => SymbolEqualityComparer.Default.Equals(r.Local, flag))) return true;
        }

        return false;
    }

    /// <summary><c>return Core();</c> where <c>Core</c> is an async local function whose body has a try with catches.</summary>
    private static bool ReturnsOwnGuardedFunction(IReturnOperation returnOperation)
    {
        if (returnOperation.ReturnedValue is not { } returned || OperationFacts.StripConversions(returned) is not IInvocationOperation { TargetMethod: { MethodKind: MethodKind.LocalFunction, IsAsync: true } local }) return false;
        var root = (IOperation)returnOperation;
        while (root.Parent is not null) root = root.Parent;
        return root.Descendants().OfType<ILocalFunctionOperation>()
            .Any(f => SymbolEqualityComparer.Default.Equals(f.Symbol, local)
                && f.Body is { } body && body.Descendants().OfType<ITryOperation>().Any(t => t.Catches.Length > 0));
    }
}
