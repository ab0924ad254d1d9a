using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncGuard;

/// <summary>
/// The synchronous side of a dual-path API: one implementation serves a sync and an async entry
/// point, selected by a <c>bool async</c> flag (<c>isAsync</c>, <c>useAsync</c>, ...). Its sync entry
/// point blocks on the implementation called with the flag false
/// (<c>ReadCore(async: false).GetAwaiter().GetResult()</c>, a task that completes synchronously
/// by construction), and the implementation's sync branch (<c>if (async) await x.ReadAsync(); else
/// x.Read();</c>, or <c>else t.Wait()</c>) blocks on purpose.
/// </summary>
internal static class DualPath
{
    private static readonly string[] FlagNames =
    {
        "async", "isAsync", "useAsync", "runAsync", "doAsync", "asynchronous", "isAsynchronous",
    };

    // Flags that hold in sync mode: Polly's ResilienceContext.IsSynchronous, a 'sync' parameter.
    private static readonly string[] SyncFlagNames =
    {
        "sync", "isSync", "useSync", "synchronous", "isSynchronous",
    };

    /// <summary>True for a bool parameter, local or field whose name says it selects async mode.</summary>
    public static bool IsModeFlag(ISymbol? symbol) => symbol switch
    {
        IParameterSymbol { Type.SpecialType: SpecialType.System_Boolean } parameter => IsFlagName(parameter.Name),
        ILocalSymbol { Type.SpecialType: SpecialType.System_Boolean } local => IsFlagName(local.Name),
        IFieldSymbol { Type.SpecialType: SpecialType.System_Boolean } field => IsFlagName(field.Name.TrimStart('_')),
        _ => false,
    };

    /// <summary>
    /// True when the wait at <paramref name="wait"/> on <paramref name="task"/> is the deliberate
    /// sync path: the task comes from a call given a false mode flag, or the wait sits in the
    /// branch that a mode flag selects for sync.
    /// </summary>
    public static bool IsSyncPath(IOperation wait, IOperation? task)
    {
        if (task is not null && IsCalledInSyncMode(Unwrap(task))) return true;
        var child = wait;
        for (var parent = wait.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation) return false;
            if (parent is not IConditionalOperation conditional || child == conditional.Condition) continue;
            if (ModeOf(conditional.Condition, 0) is { } asyncWhenTrue && (child == conditional.WhenTrue) != asyncWhenTrue) return true;

            // if (context.IsSynchronous && !task.IsCompleted) task.GetAwaiter().GetResult();
            if (child == conditional.WhenTrue && HoldsOnlyInSyncMode(conditional.Condition)) return true;
        }

        return false;
    }

    /// <summary><c>ReadCore(buffer, async: false)</c> or <c>ReadCore(buffer, false)</c> on a flag parameter.</summary>
    private static bool IsCalledInSyncMode(IOperation task)
    {
        while (task is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" or "AsTask", Instance: { } inner }) task = Unwrap(inner);
        return task is IInvocationOperation invocation
            && invocation.Arguments.Any(a => IsModeFlag(a.Parameter) && a.Value.ConstantValue is { HasValue: true, Value: false });
    }

    /// <summary>For a condition on a mode flag: true when it holds in async mode, false when in sync mode; null for other conditions.</summary>
    private static bool? ModeOf(IOperation condition, int depth)
    {
        if (depth > 4) return null;
        condition = Unwrap(condition);
        return condition switch
        {
            IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: var operand } => !ModeOf(operand, depth + 1),
            IParameterReferenceOperation { Parameter: var parameter } when IsModeFlag(parameter) => true,
            ILocalReferenceOperation { Local: var local } when IsModeFlag(local) => true,
            IFieldReferenceOperation { Field: var field } when IsModeFlag(field) => true,
            _ when IsSyncFlag(condition) => false,
            _ => null,
        };
    }

    /// <summary>An <c>&amp;&amp;</c> chain with an operand that holds only in sync mode: its true branch is the sync path.</summary>
    private static bool HoldsOnlyInSyncMode(IOperation condition)
    {
        condition = Unwrap(condition);
        return condition is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and
            && (ModeOf(and.LeftOperand, 0) == false || ModeOf(and.RightOperand, 0) == false
                || HoldsOnlyInSyncMode(and.LeftOperand) || HoldsOnlyInSyncMode(and.RightOperand));
    }

    /// <summary>A bool parameter, local, field or property named like <c>IsSynchronous</c>: true in sync mode.</summary>
    private static bool IsSyncFlag(IOperation operation)
    {
        var (name, type) = operation switch
        {
            IParameterReferenceOperation { Parameter: var p } => (p.Name, p.Type),
            ILocalReferenceOperation { Local: var l } => (l.Name, l.Type),
            IFieldReferenceOperation { Field: var f } => (f.Name.TrimStart('_'), f.Type),
            IPropertyReferenceOperation { Property: var q } => (q.Name, q.Type),
            _ => (null, null),
        };
        return name is not null && type?.SpecialType == SpecialType.System_Boolean
            && SyncFlagNames.Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsFlagName(string name) => FlagNames.Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));

    private static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation { Operand: { } operand }) operation = operand;
        return operation;
    }
}
