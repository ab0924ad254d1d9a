using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;

namespace AsyncGuard.CodeFixes.Common;

/// <summary>
/// The last safety net of every fix: a changed document whose compilation has compiler
/// errors that the original did not have is thrown away, and the original kept. Shapes a
/// fixer knows it cannot handle are refused earlier, where the fix is offered.
/// </summary>
internal static class FixSafety
{
    public static async Task<Document> KeepIfNoNewErrorsAsync(Document original, Document changed, CancellationToken cancellationToken)
    {
        var before = await ErrorsAsync(original, cancellationToken).ConfigureAwait(false);
        var after = await ErrorsAsync(changed, cancellationToken).ConfigureAwait(false);
        foreach (var pair in after)
        {
            if (!before.TryGetValue(pair.Key, out var count) || count < pair.Value) return original;
        }

        return changed;
    }

    // Errors counted by id and message, so that errors merely moved by the edit still match.
    private static async Task<Dictionary<string, int>> ErrorsAsync(Document document, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var result = new Dictionary<string, int>();
        if (model is null) return result;
        foreach (var diagnostic in model.GetDiagnostics(cancellationToken: cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error))
        {
            var key = diagnostic.Id + ":" + diagnostic.GetMessage();
            result[key] = result.TryGetValue(key, out var count) ? count + 1 : 1;
        }

        return result;
    }
}
