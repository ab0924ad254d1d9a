using Microsoft.CodeAnalysis.Text;

namespace AsyncGuard.CodeFixes.Common;

/// <summary>
/// The last safety net of every fix: a changed document with compiler errors that the
/// original did not have, in the members the edit touched, is thrown away and the original
/// kept. Only the touched members are compiled, so that Fix All on a large file stays linear.
/// Shapes a fixer knows it cannot handle are refused earlier, where the fix is offered.
/// </summary>
internal static class FixSafety
{
    /// <summary>
    /// Members longer than this (in characters) are not recompiled per fix: in Fix All over
    /// a generated method of thousands of lines that would be quadratic. The fixers' own
    /// checks still apply there.
    /// </summary>
    private const int MaxCheckedLength = 60_000;

    public static async Task<Document> KeepIfNoNewErrorsAsync(Document original, Document changed, CancellationToken cancellationToken)
    {
        var changes = (await changed.GetTextChangesAsync(original, cancellationToken).ConfigureAwait(false)).ToList();
        if (changes.Count == 0) return changed;
        var originalRoot = await original.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);

        var oldSpan = TextSpan.FromBounds(changes.Min(c => c.Span.Start), changes.Max(c => c.Span.End));
        var delta = changes.Sum(c => c.NewText!.Length - c.Span.Length);
        var newSpan = TextSpan.FromBounds(oldSpan.Start, oldSpan.End + delta);

        if (originalRoot is not null && (MembersAround(originalRoot, oldSpan) ?? originalRoot.FullSpan).Length > MaxCheckedLength) return changed;

        var before = await ErrorsAsync(original, oldSpan, cancellationToken).ConfigureAwait(false);
        var after = await ErrorsAsync(changed, newSpan, cancellationToken).ConfigureAwait(false);
        foreach (var pair in after)
        {
            if (!before.TryGetValue(pair.Key, out var count) || count < pair.Value) return original;
        }

        return changed;
    }

    // Errors counted by id and message, so that errors merely moved by the edit still match.
    private static async Task<Dictionary<string, int>> ErrorsAsync(Document document, TextSpan edited, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, int>();
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return result;

        var span = MembersAround(root, edited);
        foreach (var diagnostic in model.GetDiagnostics(span, cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error))
        {
            var key = diagnostic.Id + ":" + diagnostic.GetMessage();
            result[key] = result.TryGetValue(key, out var count) ? count + 1 : 1;
        }

        return result;
    }

    /// <summary>The span of the outermost non-type members that contain the edit, or the whole file.</summary>
    private static TextSpan? MembersAround(SyntaxNode root, TextSpan edited)
    {
        if (edited.End > root.FullSpan.End) return null;
        var start = Member(root.FindToken(edited.Start).Parent);
        var end = Member(root.FindToken(edited.End > edited.Start ? edited.End - 1 : edited.End).Parent);
        if (start is null || end is null) return null;
        return TextSpan.FromBounds(start.FullSpan.Start, end.FullSpan.End);
    }

    private static SyntaxNode? Member(SyntaxNode? node)
    {
        SyntaxNode? member = null;
        for (var current = node; current is not null; current = current.Parent)
        {
            if (current is GlobalStatementSyntax) return null; // top-level statements form one body: check the file
            if (current is MemberDeclarationSyntax and not BaseTypeDeclarationSyntax and not BaseNamespaceDeclarationSyntax) member = current;
        }

        return member;
    }
}
