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

    public static readonly DiagnosticDescriptor AG0020_SwallowedCancellation = Create(
        "AG0020",
        "Do not swallow cancellation and keep working",
        "'{0}' swallows cancellation and the code goes on working; rethrow it with 'throw;' or let OperationCanceledException through",
        Categories.Cancellation,
        DiagnosticSeverity.Warning,
        "A cancelled operation throws OperationCanceledException so that the work stops. A catch that takes it and then lets the code go on (the next round of a loop, more awaits after the try) turns a shutdown into a hang or a busy loop. Clean up if needed, then rethrow or leave the method.");

    public static readonly DiagnosticDescriptor AG0021_CancellationLoggedAsFailure = Create(
        "AG0021",
        "Do not report cancellation as a failure",
        "'{0}' logs a cancelled operation as a failure; let OperationCanceledException through with 'when (ex is not OperationCanceledException)'",
        Categories.Cancellation,
        DiagnosticSeverity.Info,
        "A general catch around cancellable code also catches OperationCanceledException. When it logs or reports what it caught, every normal shutdown or cancelled request shows up as an error. Exclude cancellation from the catch with a filter.");

    public static readonly DiagnosticDescriptor AG0022_TaskCanceledOnly = Create(
        "AG0022",
        "Catch OperationCanceledException rather than TaskCanceledException",
        "'{0}' misses cancellation thrown as OperationCanceledException; catch 'OperationCanceledException' instead",
        Categories.Cancellation,
        DiagnosticSeverity.Warning,
        "TaskCanceledException is only one kind of cancellation: ThrowIfCancellationRequested, channels, semaphores and most APIs throw the base OperationCanceledException. A catch of TaskCanceledException alone lets those through unhandled. Catch OperationCanceledException, which covers both.");

    // AG0023 and AG0024 follow

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
