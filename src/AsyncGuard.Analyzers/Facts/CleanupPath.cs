using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncGuard;

/// <summary>
/// Code that winds work down rather than doing it: a member named like a stop or cleanup
/// (<c>StopAsync</c>, <c>Dispose</c>, <c>CloseAsync</c>, <c>ShutdownSchedulers</c>, ...), a call to
/// such a member, or a catch block (an error path). There the token in scope is often the very
/// token being cancelled, and passing it would abort the cleanup; cancellation rules that
/// suggest a token, or a rethrow, stay silent there.
/// </summary>
internal static class CleanupPath
{
    private static readonly string[] Prefixes =
    {
        "Stop", "Dispose", "Close", "Shutdown", "ShutDown", "Disconnect", "Cleanup", "CleanUp",
        "Teardown", "TearDown", "Abort", "Release", "Unsubscribe", "Complete",
    };

    /// <summary>Stems of the words that name a stop state: <c>IsDisposed</c>, <c>_stopping</c>, <c>CheckDisposed()</c>, <c>IsShuttingDown</c>, <c>_halted</c>.</summary>
    private static readonly string[] StateStems = { "dispos", "stop", "shut", "halt", "abort", "closed", "closing" };

    /// <summary>True for a name that speaks of being stopped or disposed (<c>_disposed</c>, <c>IsStopping</c>, <c>CheckDisposed</c>).</summary>
    public static bool NamesStopState(string name)
    {
        foreach (var stem in StateStems)
        {
            if (name.IndexOf(stem, StringComparison.OrdinalIgnoreCase) >= 0) return true;
        }

        return false;
    }

    /// <summary>True for a name that starts with a stop or cleanup word (<c>StopAsync</c>, <c>DisposeCoreAsync</c>).</summary>
    public static bool IsCleanupName(string name)
    {
        foreach (var prefix in Prefixes)
        {
            if (!name.StartsWith(prefix, StringComparison.Ordinal)) continue;

            // A whole word: "Stop", "StopAsync", "Close_Connection"; not "Stopwatch" or "Completed".
            if (name.Length == prefix.Length || !char.IsLower(name[prefix.Length])) return true;
        }

        return false;
    }

    /// <summary>
    /// True when <paramref name="invocation"/> calls a stop or cleanup member, runs in one (the
    /// member analyzed, or a local function or lambda around the call), or runs in a catch block.
    /// </summary>
    public static bool IsInCleanupPath(IInvocationOperation invocation, ISymbol? containingSymbol)
    {
        if (IsCleanupName(invocation.TargetMethod.Name)) return true;
        if (containingSymbol is IMethodSymbol { Name: var name } && IsCleanupName(name)) return true;
        for (var current = invocation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ICatchClauseOperation:
                    return true;
                case ILocalFunctionOperation { Symbol.Name: var local } when IsCleanupName(local):
                    return true;
            }
        }

        return false;
    }
}
