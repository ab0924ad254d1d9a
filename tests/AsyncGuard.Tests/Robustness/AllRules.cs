using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AsyncGuard.Tests.Conventions;
using AsyncGuard.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace AsyncGuard.Tests.Robustness;

/// <summary>
/// Every AsyncGuard analyzer and fixer run together on one source, as the IDE would: the
/// diagnostics, and each offered code action (and each Fix All) applied.
/// </summary>
internal static class AllRules
{
    public sealed record AppliedFix(string Id, string Kind, CodeAction Action, Document Before, Document After);

    public static Workbench Harness(OutputKind outputKind) =>
        new(Repository.Analyzers) { OutputKind = outputKind };

    /// <summary>The diagnostics of all rules, as comparable text (id, span, message).</summary>
    public static async Task<(Document Document, IReadOnlyList<Diagnostic> Diagnostics)> AnalyzeAsync(Corpus.Source source, string text, CancellationToken cancellationToken = default)
    {
        var harness = Harness(source.OutputKind);
        var document = harness.CreateDocument(text);
        var diagnostics = await harness.GetDiagnosticsAsync(document, cancellationToken);
        return (document, diagnostics);
    }

    public static string Describe(IEnumerable<Diagnostic> diagnostics) =>
        string.Join("\n", diagnostics.Select(d => $"{d.Id} {d.Location.SourceSpan} {d.GetMessage()}"));

    /// <summary>
    /// Applies each code action offered for the first <paramref name="maxDiagnostics"/> diagnostics,
    /// then (unless <paramref name="fixAll"/> is false) Fix All in document scope once per fixer and equivalence key.
    /// </summary>
    public static async Task<List<AppliedFix>> ApplyFixesAsync(Corpus.Source source, Document document, IReadOnlyList<Diagnostic> diagnostics, int maxDiagnostics, bool fixAll = true, CancellationToken cancellationToken = default)
    {
        var applied = new List<AppliedFix>();
        var keys = new HashSet<(CodeFixProvider, string?)>();
        foreach (var diagnostic in diagnostics.Take(maxDiagnostics))
        {
            foreach (var fixer in Repository.Fixers.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                foreach (var action in await Workbench.GetActionsAsync(fixer, document, diagnostic, cancellationToken))
                {
                    var after = await Workbench.ApplyAsync(document, action, cancellationToken);
                    applied.Add(new AppliedFix(diagnostic.Id, "one", action, document, after));
                    keys.Add((fixer, action.EquivalenceKey));
                }
            }
        }

        if (!fixAll) return applied;
        var harness = Harness(source.OutputKind);
        foreach (var (fixer, key) in keys)
        {
            var action = await harness.GetFixAllActionAsync(fixer, document, FixAllScope.Document, key, cancellationToken);
            if (action is null) continue;
            var after = await Workbench.ApplyAsync(document, action, cancellationToken);
            applied.Add(new AppliedFix(string.Join(",", fixer.FixableDiagnosticIds), "all", action, document, after));
        }

        return applied;
    }
}
