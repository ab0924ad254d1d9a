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

    // ---- end of fire and forget ----

    // ---- Cancellation: AG0020 to AG0024 ----

    // ---- end of cancellation ----

    // ---- Task lifetime and resources: AG0030 to AG0032 ----

    public static readonly DiagnosticDescriptor AG0030_TaskCompletionSource = Create(
        "AG0030",
        "Create TaskCompletionSource with RunContinuationsAsynchronously",
        "'{0}' runs the awaiting code inline on the thread that completes it; pass 'TaskCreationOptions.RunContinuationsAsynchronously'",
        Categories.TaskLifetime,
        DiagnosticSeverity.Info,
        "Without TaskCreationOptions.RunContinuationsAsynchronously, the code awaiting a TaskCompletionSource's task runs synchronously inside the SetResult, SetException or SetCanceled call. The completing thread then runs someone else's continuation, which can hold a lock it did not expect to hold, deadlock, or stall a loop that completes many sources.");

    public static readonly DiagnosticDescriptor AG0031_SyncUsingOfAsyncDisposable = Create(
        "AG0031",
        "Dispose an IAsyncDisposable with await using in async code",
        "'{0}' has an asynchronous DisposeAsync, but 'using' disposes it synchronously; use 'await using'",
        Categories.TaskLifetime,
        DiagnosticSeverity.Info,
        "A plain using statement calls Dispose, which for a type with a real asynchronous dispose (a stream that flushes, a connection that closes, a database context) blocks the thread on the I/O that DisposeAsync would await. In async code, await using disposes without blocking.");

    public static readonly DiagnosticDescriptor AG0032_TaskReturnedFromUsing = Create(
        "AG0032",
        "Await a task before leaving the using or try block that guards it",
        "The task from '{0}' is returned from inside a {1} that is left before the task completes; make the method async and await it",
        Categories.TaskLifetime,
        DiagnosticSeverity.Warning,
        "A method that is not async returns its task at once, so the using block around the return disposes the resource, and the try block stops guarding, while the work is still running. The operation then fails on a disposed object, or its exception escapes the catch and its cleanup runs early. Awaiting the task inside the block keeps the resource alive and the handlers in force until the work ends.");

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
