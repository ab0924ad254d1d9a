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

    // AG0023 and AG0024

    public static readonly DiagnosticDescriptor AG0023_TokenNotForwarded = Create(
        "AG0023",
        "Forward the cancellation token in scope",
        "'{0}' does not get the cancellation token in scope; pass '{1}'",
        Categories.Cancellation,
        DiagnosticSeverity.Info,
        "The call has an overload or an optional parameter that takes a CancellationToken, and a token is in scope, but the call passes none (or passes CancellationToken.None or default). A cancel request then cannot stop this part of the work, and the caller waits for it to finish on its own. Pass the token in scope.");

    public static readonly DiagnosticDescriptor AG0024_TokenNeverObserved = Create(
        "AG0024",
        "Observe the cancellation token parameter",
        "'{0}' takes the cancellation token '{1}' but never uses it; pass it on or check it",
        Categories.Cancellation,
        DiagnosticSeverity.Info,
        "An async method that accepts a CancellationToken promises its callers that the work can be cancelled. When the token is never passed on, checked, registered or captured, a cancel request cannot reach the work. Pass the token to the calls that accept one, or check it between steps.");

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
