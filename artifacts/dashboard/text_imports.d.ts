// The page's script and style, imported `with { type: "text" }` so the binary embeds them.
declare module "*.css" {
  const text: string;
  export default text;
}
