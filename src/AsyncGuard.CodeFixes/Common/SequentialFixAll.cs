using Microsoft.CodeAnalysis.Text;

namespace AsyncGuard.CodeFixes.Common;

/// <summary>
/// Fix All in one document by applying the fixer's own action for each diagnostic in turn, on
/// the document the previous action produced. Each diagnostic's node is tracked by an
/// annotation, so its location is found again after earlier edits; a diagnostic whose node an
/// earlier fix removed is skipped. When no diagnostic offers an action with the requested
/// equivalence key, the first key offered is used instead (see <see cref="FixAll"/>).
/// </summary>
internal static class SequentialFixAll
{
    public static async Task<Document?> FixDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        var cancellationToken = context.CancellationToken;
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || diagnostics.IsEmpty) return null;

        var annotations = new Dictionary<SyntaxNode, SyntaxAnnotation>();
        var targets = new List<(Diagnostic Diagnostic, SyntaxAnnotation Annotation, int StartOffset, int EndOffset)>();
        foreach (var diagnostic in diagnostics.Where(d => d.Location.IsInSource).OrderBy(d => d.Location.SourceSpan.Start))
        {
            var span = diagnostic.Location.SourceSpan;
            if (span.End > root.FullSpan.End) continue;
            var node = root.FindNode(span, getInnermostNodeForTie: true);
            if (!annotations.TryGetValue(node, out var annotation)) annotations[node] = annotation = new SyntaxAnnotation();
            targets.Add((diagnostic, annotation, span.Start - node.SpanStart, node.Span.End - span.End));
        }

        var start = document.WithSyntaxRoot(root.ReplaceNodes(annotations.Keys, (original, rewritten) => rewritten.WithAdditionalAnnotations(annotations[original])));
        var (fixedDocument, applied, firstOffered) = await ApplyAllAsync(context, start, targets, context.CodeActionEquivalenceKey).ConfigureAwait(false);
        if (applied == 0 && firstOffered is not null && firstOffered != context.CodeActionEquivalenceKey)
            (fixedDocument, applied, _) = await ApplyAllAsync(context, start, targets, firstOffered).ConfigureAwait(false);
        return applied == 0 ? null : fixedDocument;
    }

    private static async Task<(Document Document, int Applied, string? FirstOffered)> ApplyAllAsync(
        FixAllContext context, Document document, List<(Diagnostic Diagnostic, SyntaxAnnotation Annotation, int StartOffset, int EndOffset)> targets, string? equivalenceKey)
    {
        var cancellationToken = context.CancellationToken;
        var applied = 0;
        string? firstOffered = null;
        foreach (var target in targets)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var tree = await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
            var node = root?.GetAnnotatedNodes(target.Annotation).FirstOrDefault();
            if (node is null || tree is null) continue;
            var start = node.SpanStart + target.StartOffset;
            var end = node.Span.End - target.EndOffset;
            if (end < start) continue;

            var original = target.Diagnostic;
            var moved = Diagnostic.Create(original.Descriptor, Location.Create(tree, TextSpan.FromBounds(start, end)),
                original.Severity, additionalLocations: null, original.Properties);
            var actions = new List<CodeAction>();
            await context.CodeFixProvider.RegisterCodeFixesAsync(new CodeFixContext(document, moved, (action, _) => actions.Add(action), cancellationToken)).ConfigureAwait(false);
#if ROSLYN_4_14_OR_GREATER
            var flat = actions.SelectMany(a => a.NestedActions.IsDefaultOrEmpty ? new[] { a } : a.NestedActions.ToArray()).ToList();
#else
            // Roslyn 4.8 does not expose nested actions; AsyncGuard's fixers offer none.
            var flat = actions;
#endif
            firstOffered ??= flat.FirstOrDefault()?.EquivalenceKey;
            var chosen = flat.FirstOrDefault(a => a.EquivalenceKey == equivalenceKey);
            if (chosen is null) continue;

            var operations = await chosen.GetOperationsAsync(cancellationToken).ConfigureAwait(false);
            if (operations.OfType<ApplyChangesOperation>().FirstOrDefault()?.ChangedSolution.GetDocument(document.Id) is not { } changed) continue;
            document = changed;
            applied++;
        }

        return (document, applied, firstOffered);
    }
}
