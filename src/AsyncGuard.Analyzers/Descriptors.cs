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

    public static readonly DiagnosticDescriptor AG0010_UnobservedTask = Create(
        "AG0010",
        "Do not drop the task returned by a call",
        "The task returned by '{0}' is never observed; await it, or write '_ = ' when fire-and-forget is intended",
        Categories.FireAndForget,
        DiagnosticSeverity.Warning,
        "A task-like value used as a statement is lost: nobody waits for it, and its exception is never seen. The compiler warns about this (CS4014) only for calls inside async functions; this rule covers the other places: synchronous methods, constructors, setters, synchronous lambdas and event handlers, conditional calls and task constructors. Await the task, store it, or assign it to the discard '_' to say that fire-and-forget is intended.");

    public static readonly DiagnosticDescriptor AG0011_UnobservedTaskLocal = Create(
        "AG0011",
        "Do not leave a task in a local that nobody reads",
        "The task stored in '{0}' is never awaited, returned or passed on; await it before the end of its scope",
        Categories.FireAndForget,
        DiagnosticSeverity.Warning,
        "A local that receives a task and is never read afterwards hides the same loss as a dropped task: the work may fail or still be running when the method ends, and nobody will know. Await the task, return it, pass it on, or discard it with '_ = ' when that is the intent.");

    public static readonly DiagnosticDescriptor AG0012_AsyncVoid = Create(
        "AG0012",
        "Do not declare async void methods",
        "'{0}' is async void: callers cannot await it and its exceptions crash the process; return 'Task' instead",
        Categories.FireAndForget,
        DiagnosticSeverity.Warning,
        "An async void method cannot be awaited, so its callers do not know when it ends, and an exception that escapes it is raised on the synchronization context or the thread pool, where it usually ends the process. Only event handlers need to be async void. Return Task so that callers can await the work and see its failures.");

    // AG0013 to AG0015 follow

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
