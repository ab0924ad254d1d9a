using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AsyncGuard;

/// <summary>
/// The author has already answered another analyzer's finding of the same pitfall at this
/// place: a <c>#pragma warning disable</c> of one of <paramref name="ids"/> is in force there (the
/// compiler's CS4014, vs-threading's VSTHRD110, Meziantou's MA0134, the SDK's CA2012 for a
/// dropped task). That is the same statement of intent as an explicit <c>_ =</c>.
/// </summary>
internal static class PeerSuppression
{
    /// <summary>The ids that mean "this task is dropped on purpose".</summary>
    public static readonly ImmutableArray<string> DroppedTaskIds = ImmutableArray.Create("CS4014", "4014", "VSTHRD110", "MA0134", "CA2012", "VSTHRD103");

    /// <summary>True when a <c>#pragma warning disable</c> of one of <paramref name="ids"/> covers <paramref name="node"/>.</summary>
    public static bool IsSuppressedByPeer(SyntaxNode node, ImmutableArray<string> ids)
    {
        var root = node.SyntaxTree.GetRoot();
        if (!root.ContainsDirectives) return false;
        var disabled = false;
        foreach (var directive in root.DescendantTrivia(descendIntoTrivia: true)
                     .Where(t => t.IsKind(SyntaxKind.PragmaWarningDirectiveTrivia) && t.SpanStart < node.SpanStart)
                     .Select(t => (PragmaWarningDirectiveTriviaSyntax)t.GetStructure()!))
        {
            var names = directive.ErrorCodes.Select(c => c.ToString().Trim());
            if (!names.Any(n => ids.Contains(n, StringComparer.OrdinalIgnoreCase))) continue;
            disabled = directive.DisableOrRestoreKeyword.IsKind(SyntaxKind.DisableKeyword);
        }

        return disabled;
    }
}
