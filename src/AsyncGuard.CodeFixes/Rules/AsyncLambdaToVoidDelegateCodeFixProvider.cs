using AsyncGuard.Rules;
using Microsoft.CodeAnalysis.Formatting;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AsyncGuard.CodeFixes.Rules;

/// <summary>
/// Rewrites the two loop shapes of AGD0013 into code that awaits: <c>list.ForEach(async x => ...)</c>
/// becomes a <c>foreach</c> loop, and <c>Parallel.ForEach(items, async x => ...)</c> becomes
/// <c>await Parallel.ForEachAsync(items, async (x, cancellationToken) => ...)</c>. Offered only
/// for a statement in a function that is (or can be made) async, with a one-parameter lambda.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AsyncLambdaToVoidDelegateCodeFixProvider)), Shared]
public sealed class AsyncLambdaToVoidDelegateCodeFixProvider : CodeFixProvider
{
    public const string ForEachLoopKey = "AGD0013.ForEachLoop";
    public const string ParallelForEachAsyncKey = "AGD0013.ParallelForEachAsync";

    private static readonly string[] TokenNames = { "cancellationToken", "ct", "token", "loopToken" };

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.AGD0013_AsyncLambdaToVoidDelegate.Id);

    public override FixAllProvider GetFixAllProvider() => FixAll.Provider;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return;

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(AsyncLambdaToVoidDelegateAnalyzer.ShapeProperty, out var shape)) continue;
            var token = root.FindToken(diagnostic.Location.SourceSpan.Start);
            if (!token.IsKind(SyntaxKind.AsyncKeyword) || token.Parent is not LambdaExpressionSyntax lambda) continue;

            if (shape == AsyncLambdaToVoidDelegateAnalyzer.ListForEach && PlanForEachLoop(lambda, model, context.CancellationToken) is { } loop)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Use a foreach loop that awaits each item", ct => ApplyAsync(context.Document, loop.Statement, loop.Build, ct), ForEachLoopKey),
                    diagnostic);
            }
            else if (shape == AsyncLambdaToVoidDelegateAnalyzer.ParallelForEach && PlanForEachAsync(lambda, model, context.CancellationToken) is { } parallel)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Use 'await Parallel.ForEachAsync'", ct => ApplyAsync(context.Document, parallel.Statement, parallel.Build, ct), ParallelForEachAsyncKey),
                    diagnostic);
            }
        }
    }

    private sealed record Plan(ExpressionStatementSyntax Statement, System.Func<ExpressionStatementSyntax, bool, SyntaxNode?> Build);

    /// <summary><c>receiver.ForEach(async x => body);</c> as a statement, in a function that can await.</summary>
    private static Plan? PlanForEachLoop(LambdaExpressionSyntax lambda, SemanticModel model, CancellationToken cancellationToken)
    {
        if (!TryGetStatement(lambda, model, cancellationToken, out var statement, out var invocation)) return null;
        if (invocation.Expression is not MemberAccessExpressionSyntax { RawKind: (int)SyntaxKind.SimpleMemberAccessExpression } access) return null;
        if (invocation.ArgumentList.Arguments.Count != 1) return null;
        if (!TryGetSingleParameter(lambda, out var parameter)) return null;

        // 'return;' ends one item: it becomes 'continue;', unless a loop inside the body would take it.
        var returns = ReturnsOf(lambda.Body);
        if (returns.Any(r => r.Expression is not null || r.Ancestors().TakeWhile(a => a != lambda.Body).Any(IsLoop))) return null;

        return new Plan(statement, (current, _) =>
        {
            if (current.Expression is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax currentAccess } currentInvocation) return null;
            if (currentInvocation.ArgumentList.Arguments[0].Expression is not LambdaExpressionSyntax currentLambda) return null;
            if (!TryGetSingleParameter(currentLambda, out var currentParameter)) return null;

            BlockSyntax body;
            if (currentLambda.Body is BlockSyntax block)
            {
                body = block.ReplaceNodes(
                    ReturnsOf(block),
                    (original, _) => ContinueStatement().WithTriviaFrom(original));
            }
            else
            {
                body = Block(ExpressionStatement((ExpressionSyntax)currentLambda.Body.WithoutTrivia()));
            }

            var type = currentParameter.Type is { } typed ? typed.WithoutTrivia() : IdentifierName("var");
            return ForEachStatement(type, currentParameter.Identifier.WithoutTrivia(), currentAccess.Expression.WithoutTrivia(), body)
                .WithTriviaFrom(current)
                .WithAdditionalAnnotations(Formatter.Annotation);
        });
    }

    /// <summary><c>Parallel.ForEach(source[, options], async x => body);</c> over an <c>IEnumerable&lt;T&gt;</c>.</summary>
    private static Plan? PlanForEachAsync(LambdaExpressionSyntax lambda, SemanticModel model, CancellationToken cancellationToken)
    {
        if (!TryGetStatement(lambda, model, cancellationToken, out var statement, out var invocation)) return null;
        if (model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol method) return null;
        var parameters = method.OriginalDefinition.Parameters;
        if (parameters.Length is not (2 or 3)) return null;
        if (parameters[0].Type is not INamedTypeSymbol { SpecialType: SpecialType.None } source
            || source.OriginalDefinition.SpecialType != SpecialType.System_Collections_Generic_IEnumerable_T) return null;
        if (parameters.Length == 3 && parameters[1].Type.Name != "ParallelOptions") return null;
        if (invocation.ArgumentList.Arguments.Any(a => a.NameColon is not null)) return null;
        if (!TryGetSingleParameter(lambda, out var parameter) || parameter.Type is not null) return null;

        // The token parameter's name must not clash with anything the body can see.
        var usedNames = new HashSet<string>(lambda.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
        var tokenName = TokenNames.FirstOrDefault(n => !usedNames.Contains(n) && model.LookupSymbols(lambda.SpanStart, name: n).IsEmpty);
        if (tokenName is null) return null;

        // Without options, the token in scope cancels the loop.
        string? outerToken = null;
        if (parameters.Length == 2 && KnownSymbols.From(model.Compilation) is { } symbols)
            outerToken = AsyncContext.FindTokenInScope(model, invocation, symbols)?.Expression;

        return new Plan(statement, (current, configureAwaitFalse) =>
        {
            if (current.Expression is not InvocationExpressionSyntax currentInvocation) return null;
            var arguments = currentInvocation.ArgumentList.Arguments;
            if (arguments.Last().Expression is not LambdaExpressionSyntax currentLambda) return null;
            if (!TryGetSingleParameter(currentLambda, out var currentParameter)) return null;

            var newLambda = ParenthesizedLambdaExpression(
                    currentLambda.Modifiers,
                    ParameterList(SeparatedList(new[] { Parameter(currentParameter.Identifier.WithoutTrivia()), Parameter(Identifier(tokenName)) })),
                    currentLambda.ArrowToken,
                    currentLambda.Block,
                    currentLambda.ExpressionBody)
                .WithTriviaFrom(currentLambda);

            var newArguments = arguments.Replace(arguments.Last(), arguments.Last().WithExpression(newLambda));
            if (outerToken is not null) newArguments = newArguments.Insert(1, Argument(ParseExpression(outerToken)));

            var callee = currentInvocation.Expression switch
            {
                MemberAccessExpressionSyntax access => access.WithName(IdentifierName("ForEachAsync").WithTriviaFrom(access.Name)),
                _ => null,
            };
            if (callee is null) return null;

            var call = currentInvocation.WithExpression(callee).WithArgumentList(currentInvocation.ArgumentList.WithArguments(newArguments)).WithoutTrivia();
            return current.WithExpression(AwaitStyle.Await(call, configureAwaitFalse));
        });
    }

    private static async Task<Document> ApplyAsync(Document document, ExpressionStatementSyntax statement, System.Func<ExpressionStatementSyntax, bool, SyntaxNode?> build, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return document;
        var function = AsyncFunction.Enclosing(statement);
        if (function is null) return document;

        var replacement = build(statement, AwaitStyle.PrefersConfigureAwaitFalse(root));
        if (replacement is null) return document;

        return await AsyncEdit.ReplaceInAsyncFunctionAsync(document, root, model, function, statement, replacement, cancellationToken, format: true).ConfigureAwait(false);
    }

    /// <summary>The lambda is the argument of an invocation that is a whole statement, where the function can await.</summary>
    private static bool TryGetStatement(LambdaExpressionSyntax lambda, SemanticModel model, CancellationToken cancellationToken,
        out ExpressionStatementSyntax statement, out InvocationExpressionSyntax invocation)
    {
        statement = null!;
        invocation = null!;
        if (lambda.Parent is not ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax call } }) return false;
        if (call.Parent is not ExpressionStatementSyntax expressionStatement) return false;

        var function = AsyncFunction.Enclosing(call);
        if (function is null || !AsyncFunction.CanAwaitAt(call, function)) return false;
        if (!AsyncFunction.CanBecomeAsync(function, model, cancellationToken)) return false;

        statement = expressionStatement;
        invocation = call;
        return true;
    }

    private static bool TryGetSingleParameter(LambdaExpressionSyntax lambda, out ParameterSyntax parameter)
    {
        parameter = lambda switch
        {
            SimpleLambdaExpressionSyntax simple => simple.Parameter,
            ParenthesizedLambdaExpressionSyntax { ParameterList.Parameters.Count: 1 } parenthesized => parenthesized.ParameterList.Parameters[0],
            _ => null!,
        };
        return parameter is not null && parameter.Modifiers.Count == 0 && parameter.AttributeLists.Count == 0 && parameter.Default is null;
    }

    private static List<ReturnStatementSyntax> ReturnsOf(SyntaxNode body) =>
        body.DescendantNodes(n => !AsyncFunction.IsNestedFunction(n)).OfType<ReturnStatementSyntax>().ToList();

    private static bool IsLoop(SyntaxNode node) =>
        node is ForStatementSyntax or CommonForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax;

}
