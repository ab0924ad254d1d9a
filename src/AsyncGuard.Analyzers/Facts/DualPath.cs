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
    public static bool IsModeFlag(ISymbol? symbol) => symbol is IParameterSymbol or ILocalSymbol or IFieldSymbol && FlagMode(symbol) == true;

    /// <summary>
    /// For a bool parameter, local, field or property named as a mode flag: true when it holds in
    /// async mode (<c>async</c>, <c>isAsync</c>, ...), false when in sync mode (<c>IsSynchronous</c>, ...).
    /// </summary>
    private static bool? FlagMode(ISymbol? symbol)
    {
        var (name, type) = symbol switch
        {
            IParameterSymbol p => (p.Name, p.Type),
            ILocalSymbol l => (l.Name, l.Type),
            IFieldSymbol f => (f.Name.TrimStart('_'), f.Type),
            IPropertySymbol q => (q.Name, q.Type),
            _ => (null, null),
        };
        if (name is null || type?.SpecialType != SpecialType.System_Boolean) return null;
        if (IsIn(FlagNames, name)) return true;
        return IsIn(SyncFlagNames, name) ? false : null;

        static bool IsIn(string[] names, string name) => names.Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// True when the wait at <paramref name="wait"/> on <paramref name="task"/> is the deliberate
    /// sync path: the task comes from a call given a false mode flag, or the wait sits in the
    /// branch that a mode flag selects for sync.
    /// </summary>
    public static bool IsSyncPath(IOperation wait, IOperation? task)
    {
        if (task is not null && IsCalledInSyncMode(OperationFacts.StripConversions(task))) return true;
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
        while (task is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" or "AsTask", Instance: { } inner }) task = OperationFacts.StripConversions(inner);
        return task is IInvocationOperation invocation
            && invocation.Arguments.Any(a => IsModeFlag(a.Parameter) && a.Value.ConstantValue is { HasValue: true, Value: false });
    }

    /// <summary>For a condition on a mode flag: true when it holds in async mode, false when in sync mode; null for other conditions.</summary>
    private static bool? ModeOf(IOperation condition, int depth)
    {
        if (depth > 4) return null;
        condition = OperationFacts.StripConversions(condition);
        return condition switch
        {
            IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: var operand } => !ModeOf(operand, depth + 1),
            IParameterReferenceOperation { Parameter: var parameter } => FlagMode(parameter),
            ILocalReferenceOperation { Local: var local } => FlagMode(local),
            IFieldReferenceOperation { Field: var field } => FlagMode(field),
            IPropertyReferenceOperation { Property: var property } => FlagMode(property),
            _ => null,
        };
    }

    /// <summary>An <c>&amp;&amp;</c> chain with an operand that holds only in sync mode: its true branch is the sync path.</summary>
    private static bool HoldsOnlyInSyncMode(IOperation condition)
    {
        condition = OperationFacts.StripConversions(condition);
        return condition is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and
            && (ModeOf(and.LeftOperand, 0) == false || ModeOf(and.RightOperand, 0) == false
                || HoldsOnlyInSyncMode(and.LeftOperand) || HoldsOnlyInSyncMode(and.RightOperand));
    }
}
