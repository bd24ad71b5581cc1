// Files imported `with { type: "text" }` whose extension bun-types does not declare.
declare module "*.mustache" {
  const text: string;
  export default text;
}
