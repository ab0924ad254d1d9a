using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace AsyncGuard;

/// <summary>
/// Every rule's id, title, message, category and default severity, in one place. The help
/// link of each rule is built here from the repository URL that Directory.Build.props sets.
/// </summary>
internal static class Descriptors
{
    internal static class Categories
    {
        public const string Blocking = "Blocking";
        public const string SyncOverAsync = "SyncOverAsync";
        public const string FireAndForget = "FireAndForget";
        public const string Cancellation = "Cancellation";
        public const string TaskLifetime = "TaskLifetime";
    }

    /// <summary>The repository URL, stamped into the assembly by the build.</summary>
    internal static readonly string RepositoryUrl =
        typeof(Descriptors).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryUrl")?.Value?.TrimEnd('/')
        ?? "https://github.com/asyncguard/asyncguard";

    internal static string HelpLink(string id) => $"{RepositoryUrl}/blob/main/docs/rules/{id}.md";

    // ---- Blocking the event loop: AG0001, AG0002, AG0005 ----

    public static readonly DiagnosticDescriptor AG0001_BlockingSleep = Create(
        "AG0001",
        "Do not block with Thread.Sleep in async code",
        "'{0}' blocks a thread inside async code; use 'await Task.Delay' instead",
        Categories.Blocking,
        DiagnosticSeverity.Warning,
        "Thread.Sleep parks the current thread for the whole wait. Inside async code that thread is a thread-pool thread or a UI/request context, which should be given back while waiting: await Task.Delay does that, and can observe the cancellation token in scope.");

    // ---- end of blocking ----

    // ---- Sync over async: AG0003, AG0004 ----

    // ---- end of sync over async ----

    // ---- Fire and forget: AG0010 to AG0015 ----

    // AG0013 to AG0015

    public static readonly DiagnosticDescriptor AG0013_AsyncLambdaToVoidDelegate = Create(
        "AG0013",
        "Do not pass an async lambda as a void-returning delegate",
        "The async {0} becomes '{1}', so it runs as async void and nothing awaits it; {2}",
        Categories.FireAndForget,
        DiagnosticSeverity.Warning,
        "An async lambda, anonymous method or async method group converted to a delegate that returns void (Action, ThreadStart, TimerCallback, WaitCallback, ...) runs as async void: the caller gets control back at the first await, cannot wait for the work, and an exception thrown after that await is raised on the synchronization context, where it usually crashes the process. Use an API that accepts a Task-returning delegate, or a loop that awaits each item. Event subscriptions with += are the accepted exception.");

    public static readonly DiagnosticDescriptor AG0014_NestedTask = Create(
        "AG0014",
        "Do not use a Task<Task> as the task of the work",
        "'{0}' returns '{1}', which completes at the delegate's first await, not when the work ends; {2}",
        Categories.FireAndForget,
        DiagnosticSeverity.Warning,
        "Task.Factory.StartNew, ContinueWith and new Task<TResult> do not understand async delegates: given one, they return a task whose result is the delegate's task. The outer task completes as soon as the delegate reaches its first await, so awaiting it once, passing it to Task.WhenAll or returning it as a Task waits for nothing and loses the work's exceptions. Task.Run unwraps async delegates; elsewhere call Unwrap().");

    public static readonly DiagnosticDescriptor AG0015_WhenAnyLosers = Create(
        "AG0015",
        "Stop or observe the tasks that lose a Task.WhenAny race",
        "'{0}' returns at the first finished task and leaves {1} running; cancel the losers or await them, or use 'WaitAsync' for a timeout",
        Categories.FireAndForget,
        DiagnosticSeverity.Info,
        "Task.WhenAny completes when one task finishes and does nothing to the others: they keep running, keep their resources, and their exceptions are never observed. A Task.Delay used as a timeout keeps its timer alive, and the work it timed out keeps running. Cancel the other tasks through a token source, await them later, or time out with WaitAsync and a linked token.");

    // ---- end of fire and forget ----

    // ---- Cancellation: AG0020 to AG0024 ----

    // ---- end of cancellation ----

    // ---- Task lifetime and resources: AG0030 to AG0032 ----

    // ---- end of task lifetime ----

    private static DiagnosticDescriptor Create(
        string id,
        string title,
        string messageFormat,
        string category,
        DiagnosticSeverity severity,
        string description,
        bool isEnabledByDefault = true) =>
        new(id, title, messageFormat, category, severity, isEnabledByDefault, description, HelpLink(id));
}
