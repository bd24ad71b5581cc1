// page_script.js is imported as text (`with { type: "text" }`): the binary embeds it in the page.
declare const text: string;
export default text;
