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

    public static readonly DiagnosticDescriptor AG0002_BlockingCall = Create(
        "AG0002",
        "Do not make blocking calls in async code",
        "'{0}' blocks a thread inside async code; {1}",
        Categories.Blocking,
        DiagnosticSeverity.Warning,
        "A synchronous call that does I/O or waits holds its thread until it completes. Inside async code that thread is a thread-pool thread or a UI/request context: await the call's async twin instead, or, when the call has none, move it off the async path with await Task.Run.");

    public static readonly DiagnosticDescriptor AG0006_PreferAsyncOverload = Create(
        "AG0006",
        "Prefer the async overload in async code",
        "'{0}' has an async overload; consider awaiting '{1}'",
        Categories.Blocking,
        DiagnosticSeverity.Info,
        "The method called has an awaitable twin with the same arguments, but AsyncGuard does not know that the synchronous form blocks (it may be cheap or in memory). Awaiting the twin keeps the async path free of hidden waits if it does.");
    // AG0005
    public static readonly DiagnosticDescriptor AG0005_LockAcrossAwait = Create(
        "AG0005",
        "Do not hold a thread-affine lock across await",
        "'{0}' is still held at the 'await' on line {1}; use 'await SemaphoreSlim.WaitAsync()' with try/finally instead",
        Categories.Blocking,
        DiagnosticSeverity.Warning,
        "Monitor, ReaderWriterLockSlim, Mutex and SpinLock belong to the thread that acquired them. After an await the method may resume on another thread, where the release throws SynchronizationLockException or releases nothing, while the original thread keeps the lock and other callers wait forever. SemaphoreSlim has no thread affinity: acquire it with await WaitAsync() and release it in a finally block.");

    // ---- end of blocking ----

    // ---- Sync over async: AG0003, AG0004 ----

    public static readonly DiagnosticDescriptor AG0003_BlockingWaitInAsync = Create(
        "AG0003",
        "Do not block on a task in async code",
        "'{0}' blocks a thread until the task completes inside async code; use '{1}' instead",
        Categories.SyncOverAsync,
        DiagnosticSeverity.Warning,
        "Task.Result, Task.Wait, GetAwaiter().GetResult(), Task.WaitAll and Task.WaitAny hold the current thread until the task finishes. Inside async code this wastes the thread that await would have given back, starves the thread pool under load, and deadlocks when the task needs the synchronization context that the blocked thread owns. Awaiting the task, or Task.WhenAll/Task.WhenAny, waits without blocking.");

    public static readonly DiagnosticDescriptor AG0004_BlockingWaitInSync = Create(
        "AG0004",
        "Avoid blocking on a task in synchronous code",
        "'{0}' blocks the calling thread until the task completes; make the caller async and use '{1}'",
        Categories.SyncOverAsync,
        DiagnosticSeverity.Info,
        "A synchronous method that waits for a task with Task.Result, Task.Wait, GetAwaiter().GetResult(), Task.WaitAll or Task.WaitAny holds its thread for the whole operation. Under a UI or legacy request synchronization context this deadlocks when the task needs that context to finish, and on the thread pool it risks starvation. Making the caller async and awaiting removes the risk; where a synchronous entry point is unavoidable, keep the bridge in one place.");

    // ---- end of sync over async ----

    // ---- Fire and forget: AG0010 to AG0015 ----

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
