using AsyncGuard.Rules;
using Microsoft.CodeAnalysis.FindSymbols;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AsyncGuard.CodeFixes.Rules;

/// <summary>
/// Turns an <c>async void</c> method or local function into <c>async Task</c> (AGD0012) and
/// awaits its direct calls in the same document where the caller is async. Not offered when
/// the method is used as a delegate anywhere (a void delegate type would no longer match),
/// nor for virtual or abstract methods, whose overrides would break.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AsyncVoidCodeFixProvider)), Shared]
public sealed class AsyncVoidCodeFixProvider : CodeFixProvider
{
    public const string EquivalenceKey = "AGD0012.ReturnTask";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.AGD0012_AsyncVoid.Id);

    public override FixAllProvider GetFixAllProvider() => FixAll.Provider;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return;

        foreach (var diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.ContainsKey(AsyncVoidAnalyzer.UsedAsVoidDelegateProperty) || diagnostic.Properties.ContainsKey(AsyncVoidAnalyzer.ImplementsSourceInterfaceProperty)) continue;
            var declaration = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent;
            if (declaration is not (MethodDeclarationSyntax or LocalFunctionStatementSyntax)) continue;
            if (ReturnTypeOf(declaration) is not PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword }) continue;
            if (model.GetDeclaredSymbol(declaration, context.CancellationToken) is not IMethodSymbol method) continue;
            if (method.IsVirtual || method.IsAbstract || method.IsOverride || method.IsExtern || method.IsPartialDefinition || method.PartialImplementationPart is not null || method.PartialDefinitionPart is not null) continue;

            var calls = await DirectCallsAsync(context.Document, method, context.CancellationToken).ConfigureAwait(false);
            if (calls is null) continue;

            context.RegisterCodeFix(
                CodeAction.Create("Return 'Task' instead of 'void'", ct => FixAsync(context.Document, declaration, calls, ct), EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>
    /// The invocations of <paramref name="method"/> in <paramref name="document"/>, or null when
    /// any reference anywhere is not a direct call (a method group turned into a delegate).
    /// </summary>
    private static async Task<List<InvocationExpressionSyntax>?> DirectCallsAsync(Document document, IMethodSymbol method, CancellationToken cancellationToken)
    {
        var calls = new List<InvocationExpressionSyntax>();
        var references = await SymbolFinder.FindReferencesAsync(method, document.Project.Solution, cancellationToken).ConfigureAwait(false);
        foreach (var location in references.SelectMany(r => r.Locations))
        {
            if (location.IsImplicit) return null;
            var referenceRoot = await location.Document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (referenceRoot?.FindNode(location.Location.SourceSpan, getInnermostNodeForTie: true) is not SimpleNameSyntax name) return null;
            ExpressionSyntax callee = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;
            if (callee.Parent is not InvocationExpressionSyntax invocation || invocation.Expression != callee) return null;
            if (location.Document.Id == document.Id) calls.Add(invocation);
        }

        return calls;
    }

    private static async Task<Document> FixAsync(Document document, SyntaxNode declaration, List<InvocationExpressionSyntax> calls, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || ReturnTypeOf(declaration) is not { } voidType) return document;
        if (KnownSymbols.From(model.Compilation)?.Task is not { } task) return document;

        var configureAwaitFalse = AwaitStyle.PrefersConfigureAwaitFalse(root);
        var edits = new Dictionary<SyntaxNode, SyntaxNode>
        {
            [voidType] = TypeNames.Type(document, task).WithTriviaFrom(voidType),
        };

        // A call used as a statement inside an async function is awaited now that it can be.
        foreach (var call in calls)
        {
            if (call.Parent is not ExpressionStatementSyntax) continue;
            var function = AsyncFunction.Enclosing(call);
            if (function is null || !AsyncFunction.IsAsync(function) || !AsyncFunction.CanAwaitAt(call, function)) continue;
            edits[call] = AwaitStyle.Await(call.WithoutTrivia(), configureAwaitFalse).WithTriviaFrom(call);
        }

        var changed = document.WithSyntaxRoot(root.ReplaceNodes(edits.Keys, (original, _) => edits[original]));
        return await FixSafety.KeepIfNoNewErrorsAsync(document, changed, cancellationToken).ConfigureAwait(false);
    }

    private static TypeSyntax? ReturnTypeOf(SyntaxNode declaration) => declaration switch
    {
        MethodDeclarationSyntax method => method.ReturnType,
        LocalFunctionStatementSyntax local => local.ReturnType,
        _ => null,
    };
}
